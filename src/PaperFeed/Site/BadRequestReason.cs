using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PaperFeed.Site;

/// <summary>
/// Carries the one-line reason of a 400 to the error page (the status code page re-executes with the same
/// HttpContext), so "from is after to" is said instead of a generic "not understood".
/// </summary>
public static class BadRequestReason
{
    private const string Key = "PaperFeed.BadRequestReason";

    public static IActionResult BadRequestBecause(this PageModel page, string? problem)
    {
        if (problem is not null) page.HttpContext.Items[Key] = problem;
        return page.BadRequest();
    }

    public static string? Of(HttpContext context) => context.Items[Key] as string;
}
