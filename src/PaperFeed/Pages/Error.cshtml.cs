using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PaperFeed.Pages;

/// <summary>The friendly page for every error status and unhandled exception; never a stack trace.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }
    public string Heading { get; private set; } = "";
    public string Message { get; private set; } = "";

    public void OnGet(int? code) => Describe(code ?? StatusCodes.Status500InternalServerError);
    public void OnPost(int? code) => Describe(code ?? StatusCodes.Status500InternalServerError);

    private void Describe(int code)
    {
        Status = code;
        Response.StatusCode = code;
        (Heading, Message) = code switch
        {
            404 => ("Page not found", "There is no paper, day or page at this address."),
            400 => ("That request was not understood", Site.BadRequestReason.Of(HttpContext) is { } reason
                ? $"In the address: {reason}."
                : "A date, number or parameter in the address is not valid."),
            429 => ("Too many requests", "Please wait a moment and try again."),
            _ => ("Something went wrong", "The error has been logged. Please try again in a moment."),
        };
    }
}
