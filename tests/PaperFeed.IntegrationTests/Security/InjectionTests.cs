using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.IntegrationTests.Infrastructure;

namespace PaperFeed.IntegrationTests.Security;

/// <summary>
/// SQL and full-text operators in every query and route parameter, on SQLite and PostgreSQL: an answer (a page, an
/// empty result, a 400 or 404), never a 500, and nothing in the catalog changed. The text never reaches a query as SQL.
/// </summary>
[Collection(CatalogWithDaysCollection.Name)]
public sealed class InjectionTests(CatalogWithDays catalog)
{
    public static readonly string[] Payloads =
    [
        "'", "''", "\"", "' OR '1'='1", "' OR 1=1 --", "1; DROP TABLE \"Papers\"; --", "'); DELETE FROM \"Votes\"; --", "%' OR '%'='",
        "\\", "\\'", "%", "_", "*", "a*", "NEAR(sparse experts)", "sparse OR experts", "sparse AND NOT experts", "-sparse", "^sparse",
        "title:sparse", "{title authors}: sparse", "sparse:*", "sparse & experts | !reasoning", "!!", "(", ")", "\"unbalanced", "$1", "::text",
        "\0", "\u202e", "😀", "SELECT pg_sleep(5)", "1 UNION SELECT password FROM users", "../../etc/passwd",
    ];

    /// <summary>Every place a reader's text reaches a query: {0} is the payload, escaped for its place.</summary>
    private static readonly string[] Places =
    [
        "/search?q={0}", "/search?q=author%3A{0}", "/search?q=%22{0}%22&format=json", "/papers/date/2026-06-12?tab=all&q={0}",
        "/papers/date/2026-06-12?topic={0}", "/papers/date/2026-06-12?source={0}", "/papers/date/2026-06-12?sort={0}",
        "/papers/date/2026-06-12?from={0}", "/papers/date/2026-06-12?to={0}", "/papers/date/2026-06-12?tab={0}", "/papers/date/2026-06-12?format={0}",
        "/papers/month/2026-06?q={0}&topic={0}", "/papers/trending?q={0}", "/topics/large-language-models?q={0}", "/topics/{0}",
        "/papers/{0}", "/papers/date/{0}", "/papers/week/{0}", "/papers/month/{0}",
        "/api/daily_papers?date={0}", "/api/daily_papers?week={0}", "/api/daily_papers?month={0}", "/api/daily_papers?sort={0}", "/api/papers/{0}",
    ];

    public static TheoryData<DatabaseProvider, string> Cases()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
            foreach (var payload in Payloads) data.Add(provider, payload);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Sql_and_search_operators_in_any_parameter_get_an_answer_and_change_nothing(DatabaseProvider provider, string payload)
    {
        var app = catalog[provider];
        var before = await app.WithDbAsync(db => db.Papers.CountAsync());
        using var client = Forms.Client(app);
        // A NUL cannot travel in a URL path to Kestrel; in the query it arrives as %00.
        var escaped = Uri.EscapeDataString(payload);
        foreach (var place in Places)
        {
            if (payload == "\0" && !place.Contains('?', StringComparison.Ordinal)) continue;
            var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, place, escaped);
            var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound,
                $"{provider} {path}: {(int)response.StatusCode}");
            foreach (var leak in new[] { "Exception", "SQLite Error", "syntax error", "Npgsql", "fts5", "tsquery" })
                Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(before, await app.WithDbAsync(db => db.Papers.CountAsync()));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Operators_are_searched_as_words_with_sensible_results(DatabaseProvider provider)
    {
        using var client = catalog[provider].CreateClient();
        async Task<List<string>> TitlesAsync(string q)
        {
            var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/search?q=" + Uri.EscapeDataString(q)));
            return [.. page.QuerySelectorAll("article.card .card-title").Select(t => t.TextContent.Trim())];
        }

        // A condition that is always true in SQL matches nothing here: its words are not in any paper.
        Assert.Empty(await TitlesAsync("zzqx' OR '1'='1"));
        Assert.Empty(await TitlesAsync("zzqx\" OR \"\"=\""));
        // Operators are dropped, the words stay: these find the paper whose title has them, as plain words would.
        var plain = await TitlesAsync("sparse experts");
        Assert.Contains(plain, t => t.Contains("Sparse Mixtures", StringComparison.Ordinal));
        // (Operators spelled as words, AND, NEAR, are searched as words too, and no paper has them.)
        foreach (var q in new[] { "sparse' -- experts", "(sparse) {experts}", "sparse:* & experts", "sparse* +experts |", "'sparse';experts", "^sparse -experts" })
            Assert.Equal(plain, await TitlesAsync(q));
    }

    public static TheoryData<string> ImportNames() =>
    [
        "../../../../../../../../etc/passwd", "/etc/passwd", "/etc", "/dev/zero", "/proc/self/environ", "file:///etc/passwd",
        "..%2F..%2Fetc%2Fpasswd", "no-such-file.json\0.html", "C:\\Windows\\win.ini", "http://127.0.0.1:9/../../etc/passwd",
    ];

    [Theory]
    [MemberData(nameof(ImportNames))]
    public async Task Import_refuses_traversal_and_device_names_with_one_line_and_exit_1(string name)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(DatabaseProvider.Sqlite);
        // In this process (AppCommand): a NUL reaches the command as typed (a process's arguments would end at it).
        var run = await AppCommand.RunAsync(database, new Dictionary<string, string?>(), "import", name);
        var (output, error) = (string.Join('\n', run.Out), run.Error);
        var lines = error.Split('\n');

        Assert.Equal(1, run.ExitCode);
        Assert.Single(lines);
        Assert.StartsWith(name.Replace("\0", "", StringComparison.Ordinal)[..Math.Min(4, name.Length)], lines[0].Replace("\0", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        // Nothing of the file is echoed: an error names the input, never its content.
        Assert.DoesNotContain("root:", error + output, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH=", error + output, StringComparison.Ordinal);
        var options = new DbContextOptionsBuilder<CatalogDbContext>().UseSqlite(database.ConnectionString).Options;
        await using var db = new CatalogDbContext(options);
        Assert.Equal(0, await db.Papers.CountAsync());
    }
}
