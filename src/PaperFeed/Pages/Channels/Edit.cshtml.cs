using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PaperFeed.Accounts;
using PaperFeed.Channels;
using PaperFeed.Data;
using PaperFeed.ForYou;
using PaperFeed.Sources;

namespace PaperFeed.Pages.Channels;

[Authorize]
public sealed class EditModel(CatalogDbContext db, IAuthorizationService authorization, IOptions<SourcesOptions> sources, TimeProvider time) : PageModel
{
    [BindProperty] public ChannelInput Input { get; set; } = new();
    public bool IsNew { get; private set; }
    public bool IsAdmin { get; private set; }
    /// <summary>The saved address, masked; the field itself stays empty (left empty, the address is kept).</summary>
    public string? MaskedUrl { get; private set; }

    public sealed class ChannelInput
    {
        [Required, StringLength(200)] public string Name { get; set; } = "";
        public ChatService Service { get; set; } = ChatService.Slack;
        [StringLength(2000), Display(Name = "Webhook address (Matrix: the homeserver's address)")] public string? Url { get; set; }
        [StringLength(300), Display(Name = "Matrix room id")] public string? MatrixRoom { get; set; }
        [StringLength(500), Display(Name = "Matrix access token")] public string? MatrixToken { get; set; }
        [Required, StringLength(2000), Display(Name = "View (a list address of this site, or for-you)")] public string View { get; set; } = "/";
        [Display(Name = "The lab's channel (not mine)")] public bool Lab { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken ct)
    {
        IsNew = id is null;
        IsAdmin = await authorization.IsAdminAsync(User);
        if (id is null) return Page();
        var channel = await (await ChannelAccess.VisibleAsync(db, authorization, User)).AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (channel is null) return NotFound();
        MaskedUrl = ChatChannel.Masked(channel.WebhookUrl);
        Input = new ChannelInput { Name = channel.Name, Service = channel.Service, MatrixRoom = channel.MatrixRoom, View = channel.View, Lab = channel.OwnerId is null };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken ct)
    {
        IsNew = id is null;
        IsAdmin = await authorization.IsAdminAsync(User);
        var channel = id is null ? null : await (await ChannelAccess.VisibleAsync(db, authorization, User)).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (id is not null && channel is null) return NotFound();
        MaskedUrl = channel is null ? null : ChatChannel.Masked(channel.WebhookUrl);

        var url = string.IsNullOrWhiteSpace(Input.Url) ? channel?.WebhookUrl : Input.Url.Trim();
        if (url is null) ModelState.AddModelError("Input.Url", "The webhook address is required.");
        else if (ChatSender.Problem(url, sources.Value.AllowPrivateAddresses) is { } problem) ModelState.AddModelError("Input.Url", problem);
        var token = string.IsNullOrWhiteSpace(Input.MatrixToken) ? channel?.MatrixToken : Input.MatrixToken.Trim();
        if (Input.Service == ChatService.Matrix)
        {
            if (string.IsNullOrWhiteSpace(Input.MatrixRoom)) ModelState.AddModelError("Input.MatrixRoom", "A Matrix channel needs its room id (!room:server).");
            if (token is null) ModelState.AddModelError("Input.MatrixToken", "A Matrix channel needs an access token.");
        }
        if (ChannelView.TryRead(Input.View ?? "", out var viewProblem) is null) ModelState.AddModelError("Input.View", viewProblem!);
        if (Input.Lab && !IsAdmin) ModelState.AddModelError("Input.Lab", "Only an administrator sets up the lab's channels.");
        if (!ModelState.IsValid) return Page();

        if (channel is null)
        {
            channel = new ChatChannel { Name = "", WebhookUrl = url!, View = "", CreatedAt = time.GetUtcNow().UtcDateTime };
            db.ChatChannels.Add(channel);
        }
        channel.OwnerId = Input.Lab ? null : User.ReaderId();
        channel.Name = Input.Name.Trim();
        channel.Service = Input.Service;
        channel.WebhookUrl = url!;
        channel.MatrixRoom = Input.Service == ChatService.Matrix ? Input.MatrixRoom!.Trim() : null;
        channel.MatrixToken = Input.Service == ChatService.Matrix ? token : null;
        channel.View = Input.View!.Trim();
        // A changed address or view is tried at the next run, not after the old one's backoff.
        channel.NextAttemptAt = null;
        await db.SaveChangesAsync(ct);
        TempData["Message"] = $"{channel.Name} saved.";
        return RedirectToPage("Index");
    }
}
