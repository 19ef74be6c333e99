using System.Net;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>Malformed routes and parameters get a friendly 400 or 404 page (or a JSON reason from the API), never a 500 or a stack trace.</summary>
[Collection(CatalogWithDaysCollection.Name)]
public sealed class MalformedInputTests(CatalogWithDays catalog)
{
    private static readonly string Long = new('a', 5000);

    public static TheoryData<DatabaseProvider, string> Paths()
    {
        var paths = new[]
        {
            "/papers/date/2026-13-45", "/papers/date/2026-02-30", "/papers/date/20260612", "/papers/date/-1", "/papers/date/" + Long,
            "/papers/week/2026-W60", "/papers/week/2026-W00", "/papers/week/2026-W5x", "/papers/week/0001-W01", "/papers/week/9999-W52",
            "/papers/month/2026-13", "/papers/month/2026-00", "/papers/month/0001-01", "/papers/month/9999-12", "/papers/month/June",
            "/papers/year/2026", "/papers/date/2026-06-12?page=0", "/papers/date/2026-06-12?page=-5", "/papers/date/2026-06-12?page=abc",
            "/papers/date/2026-06-12?page=99999999999999999999", "/papers/date/2026-06-12?tab=all&page=2147483647",
            "/papers/date/2026-06-12?from=2026-99-99", "/papers/date/2026-06-12?to=yesterday", "/papers/date/2026-06-12?sort=random",
            "/papers/date/2026-06-12?format=pdf", "/papers/date/2026-06-12?topic=" + Long, "/papers/date/2026-06-12?source=" + Long,
            "/papers/date/2026-06-12?source=-1", "/papers/date/2026-06-12?from=2026-06-30&to=2026-06-01",
            "/papers/month/2026-06?page=100001", "/papers/trending?page=-1", "/papers/trending?sort=" + Long,
            "/topics/no-such-topic", "/topics/" + Long, "/topics/large-language-models?page=0", "/topics/large-language-models?from=2026-02-31",
            "/papers/9999.99999", "/papers/" + Long, "/papers/..%2F..%2Fetc%2Fpasswd",
            "/search?page=-1&q=x", "/search?page=99999999999&q=x", "/search?q=x&format=xml",
            "/api/daily_papers?limit=-1", "/api/daily_papers?limit=99999999999", "/api/daily_papers?p=99999999999", "/api/daily_papers?date=2026-13-45",
            "/api/daily_papers?week=2026-W60", "/api/daily_papers?month=9999-13", "/api/papers/9999.99999", "/api/papers/" + Long,
            "/sources/edit/abc", "/topics/edit/-1", "/vote/abc", "/save/99999999999999999999", "/digest/preferences?token=" + Long,
            "/digest/confirm?token=%ZZ", "/api/daily_papers?week=9999-W52", "/api/daily_papers?month=9999-12", "/api/daily_papers?week=0001-W01",
        };
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
            foreach (var path in paths) data.Add(provider, path);
        return data;
    }

    /// <summary>Odd but meaningful: an empty day at the end of the calendar, a version arXiv never made, a form for a link that will not work.</summary>
    public static TheoryData<string> Edges() =>
    [
        "/papers/date/0001-01-01", "/papers/date/9999-12-31", "/papers/2606.01001v999999999999",
        "/account/confirm-email?userId=" + Long + "&code=%%%", "/account/reset?email=" + Long + "&code=x", "/search?q=" + Long,
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public async Task An_odd_but_valid_address_gets_a_page_never_a_500(string path)
    {
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            using var client = Forms.Client(catalog[provider]);
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path[..Math.Min(80, path.Length)]}: {(int)response.StatusCode}");
            Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_malformed_address_gets_a_400_or_404_never_a_500(DatabaseProvider provider, string path)
    {
        using var client = Forms.Client(catalog[provider]);
        var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        var shown = path.Length > 80 ? path[..80] + "…" : path;

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound
            || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/login", StringComparison.Ordinal)),
            $"{shown}: {(int)response.StatusCode}");
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        if (response.StatusCode == HttpStatusCode.Redirect) return;
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            // A number too large for its type fails binding before the handler: the site's own 400 page then.
            if (response.Content.Headers.ContentType?.MediaType == "text/html") Assert.Contains("That request was not understood", body, StringComparison.Ordinal);
            else Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
        else
            Assert.Matches("That request was not understood|Page not found|This link is not valid|not valid", body);
    }
}
