using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using PaperFeed.Data;
using PaperFeed.Email;
using PaperFeed.Votes;

namespace PaperFeed.Accounts;

public static class AccountsExtensions
{
    public const string AdminPolicy = "Admin";
    public const string AuthLimit = "auth";
    public const string VoteLimit = "votes";
    public const string AccountChangeLimit = "account-changes";
    public const string CommentLimit = "comments";

    /// <summary>Identity with the catalog's stores, cookie sign-in, admin policy, rate limits (email and keys: AddPaperFeedCore).</summary>
    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddIdentity<User, IdentityRole>(o =>
            {
                o.SignIn.RequireConfirmedEmail = true;
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                // Length is what makes a password strong; composition rules only annoy (NIST SP 800-63B).
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireDigit = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<CatalogDbContext>()
            .AddDefaultTokenProviders();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.Cookie.Name = "paperfeed.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromDays(30);
            o.SlidingExpiration = true;
            // A signed-in reader who is not an administrator gets a plain 403 page, not a redirect loop.
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().AddRequirements(new AdminRequirement()));
        builder.Services.AddScoped<IAuthorizationHandler, AdminRequirementHandler>();
        builder.Services.AddScoped<AdminBootstrap>();
        builder.Services.AddScoped<AccountLinks>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<VoteService>();
        builder.Services.AddScoped<VoteState>();
        builder.Services.AddScoped<SaveService>();
        builder.Services.AddScoped<Watches.WatchService>();
        builder.Services.AddScoped<PaperFeed.ForYou.NotForMeService>();
        builder.Services.AddScoped<PaperFeed.ForYou.LessLikeService>();
        builder.Services.AddScoped<PaperFeed.ForYou.FetchSeedsJob>();
        builder.Services.AddScoped<AccountDeletion>();
        builder.Services.AddScoped<PaperFeed.Comments.CommentService>();
        builder.Services.AddScoped<PaperFeed.Comments.CommentNotifications>();
        builder.Services.AddSingleton<SignInThrottle>();

        builder.Services.AddRateLimiter(o =>
        {
            // The limiter's default is 503; a client that asks too often should be told so, and when to come back.
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            // Sign-in, register, forgot and reset count only their POSTs, what guessing needs: page loads, a short
            // password and a sign-in before confirming are a normal first visit, not an attack.
            o.AddPolicy(AuthLimit, context => IsRead(context)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetSlidingWindowLimiter(ClientKey(context), _ => Window(context, limits => limits.AuthPermitLimit)));
            o.AddPolicy(VoteLimit, context => RateLimitPartition.GetSlidingWindowLimiter(context.User.Identity?.Name ?? ClientKey(context),
                _ => Window(context, limits => limits.VotePermitLimit)));
            // The account page's forms (change of address mails any address, deletion checks a password) are limited
            // like sign-in, per reader; reading the page is not. Razor Pages limit a page, not one of its handlers.
            o.AddPolicy(AccountChangeLimit, context => IsRead(context)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetSlidingWindowLimiter(context.User.Identity?.Name ?? ClientKey(context),
                    _ => Window(context, limits => limits.AuthPermitLimit)));
            // Comment forms (post, edit, delete, upvote, report) per signed-in reader: a discussion, not a flood of email.
            o.AddPolicy(CommentLimit, context => IsRead(context)
                ? RateLimitPartition.GetNoLimiter("read")
                : RateLimitPartition.GetSlidingWindowLimiter(context.User.Identity?.Name ?? ClientKey(context),
                    _ => Window(context, limits => limits.CommentPermitLimit)));
        });
    }

    /// <summary>Sign-in, authorization and rate limits in the pipeline; the first administrator; a clear line about email.</summary>
    public static async Task UseAccountsAsync(this WebApplication app)
    {
        // Authentication first: the votes limit is partitioned by the signed-in reader, not by the shared address.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        if (!app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmtpOptions>>().Value.Enabled)
            app.Logger.LogWarning("No Smtp:Host is set: emails (account confirmations, digests) are written to this log instead of being sent");
        using var scope = app.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AdminBootstrap>().EnsureAsync();
    }

    /// <summary>A sliding window from RateLimitOptions, read when a partition (a client or a reader) is first seen.</summary>
    private static SlidingWindowRateLimiterOptions Window(HttpContext context, Func<RateLimitOptions, int> permits)
    {
        var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;
        return new() { PermitLimit = permits(limits), Window = TimeSpan.FromSeconds(limits.WindowSeconds), SegmentsPerWindow = 6 };
    }

    private static bool IsRead(HttpContext context) => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);

    private static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
