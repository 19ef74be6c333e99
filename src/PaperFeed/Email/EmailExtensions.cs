namespace PaperFeed.Email;

public static class EmailExtensions
{
    /// <summary>SMTP options (validated at start), the transport (SMTP, or the log when no host is set), account mail.</summary>
    public static void AddEmail(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations()
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.From), "Smtp:From is required when Smtp:Host is set")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(builder.Configuration["App:BaseUrl"]), "App:BaseUrl is required when Smtp:Host is set (links in emails are absolute)")
            .ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SmtpOptions>, DkimOptionsValidation>();
        var smtp = builder.Configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new();
        if (smtp.Enabled) builder.Services.AddSingleton<IMailTransport, SmtpMailTransport>();
        else builder.Services.AddSingleton<IMailTransport, LogMailTransport>();
        builder.Services.AddScoped<AccountMail>();
    }
}
