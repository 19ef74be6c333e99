using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace PaperFeed.Benchmarks;

/// <summary>
/// Deterministic inputs in the structure of the test fixtures (tests/PaperFeed.Tests/Fixtures): the same elements,
/// attributes and JSON fields, with realistic lengths (10-word titles, ~160-word abstracts, 1–8 authors).
/// </summary>
public static class Inputs
{
    private static readonly string[] Words =
    [
        "we", "propose", "a", "novel", "method", "for", "training", "large", "language", "models", "with", "reinforcement",
        "learning", "from", "human", "feedback", "the", "results", "show", "that", "our", "approach", "improves", "reasoning",
        "on", "benchmarks", "and", "reduces", "hallucination", "in", "retrieval", "augmented", "generation", "diffusion",
        "image", "video", "vision", "transformer", "agents", "tool", "use", "graph", "neural", "networks", "data", "scaling",
        "efficient", "inference", "quantization", "sparse", "mixture", "of", "experts", "robot", "policy", "evaluation",
        "alignment", "safety", "multimodal", "speech", "code", "mathematical", "theorem", "proving", "dataset", "fine-tuning",
        "attention", "memory", "long", "context", "semantic", "segmentation", "benchmark", "state", "space", "optimization",
    ];

    private static readonly string[] Names =
    [
        "Ada Quist", "Jörg Müller", "Bruno Lemaire", "Lena Kovač", "Tomás Ibarra", "Mei Ling Osei", "Wei Zhang", "Priya Nair",
        "Sam O'Neil", "Yuki Tanaka", "Olga Petrova", "Kwame Mensah", "Fatima Haddad", "Lucas Martin", "Ana Silva", "Jin Park",
    ];

    private static readonly (string Code, string Name)[] Categories =
    [
        ("cs.AI", "Artificial Intelligence"), ("cs.LG", "Machine Learning"), ("cs.CL", "Computation and Language"),
        ("cs.CV", "Computer Vision and Pattern Recognition"), ("stat.ML", "Machine Learning"), ("cs.RO", "Robotics"),
    ];

    public sealed record Paper(string Id, string Title, string Abstract, string[] Authors, string[] Categories, int Upvotes);

    public static List<Paper> Papers(int count, int seed = 42)
    {
        var random = new Random(seed);
        string Text(int words)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < words; i++)
            {
                if (i > 0) sb.Append(i % 17 == 0 ? ". " : " ");
                var w = Words[random.Next(Words.Length)];
                sb.Append(i == 0 || i % 17 == 0 ? char.ToUpperInvariant(w[0]) + w[1..] : w);
            }
            return sb.Append('.').ToString();
        }
        return Enumerable.Range(0, count).Select(i => new Paper(
            $"2609.{10000 + i:D5}",
            Text(10).TrimEnd('.'),
            Text(140 + random.Next(40)),
            Enumerable.Range(0, 1 + random.Next(8)).Select(_ => Names[random.Next(Names.Length)]).Distinct().ToArray(),
            Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Categories[random.Next(Categories.Length)].Code).Distinct().ToArray(),
            random.Next(200))).ToList();
    }

    /// <summary>/api/daily_papers?date=D: the 2026 wrapper shape of hf-daily-2026-five-item-variants.json.</summary>
    public static string HfDailyJson(int count)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartArray();
            foreach (var p in Papers(count))
            {
                json.WriteStartObject();
                json.WriteStartObject("paper");
                json.WriteString("id", p.Id);
                json.WriteStartArray("authors");
                for (var a = 0; a < p.Authors.Length; a++)
                {
                    json.WriteStartObject();
                    json.WriteString("_id", $"6a10000000000000000{a:D5}");
                    json.WriteString("name", p.Authors[a]);
                    json.WriteString("status", "admin_assigned");
                    json.WriteBoolean("hidden", false);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteString("publishedAt", "2026-09-13T00:00:00.000Z");
                json.WriteString("submittedOnDailyAt", "2026-09-14T00:00:00.000Z");
                json.WriteString("title", p.Title);
                json.WriteStartObject("submittedOnDailyBy");
                json.WriteString("_id", "6a2000000000000000000001");
                json.WriteString("fullname", "Lena Kovač");
                json.WriteString("user", "lkovac");
                json.WriteString("name", "lkovac");
                json.WriteEndObject();
                json.WriteString("summary", p.Abstract);
                json.WriteNumber("upvotes", p.Upvotes);
                json.WriteString("discussionId", "6a3000000000000000000001");
                json.WriteString("githubRepo", "https://github.com/example/" + p.Id);
                json.WriteNumber("githubStars", p.Upvotes * 3);
                json.WriteString("ai_summary", p.Abstract[..Math.Min(200, p.Abstract.Length)]);
                json.WriteStartArray("ai_keywords");
                foreach (var k in p.Title.Split(' ').Take(5)) json.WriteStringValue(k);
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteString("publishedAt", "2026-09-14T10:00:00.000Z");
                json.WriteString("title", p.Title);
                json.WriteString("summary", p.Abstract);
                json.WriteString("thumbnail", $"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{p.Id}.png");
                json.WriteNumber("numComments", p.Upvotes % 7);
                json.WriteStartObject("submittedBy");
                json.WriteString("name", "lkovac");
                json.WriteString("fullname", "Lena Kovač");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>huggingface.co/papers/date/D: the list's JSON HTML-encoded in div[data-target=DailyPapers][data-props], plus a rendered card per paper.</summary>
    public static string HfPapersPage(int count)
    {
        var props = $"{{\"dailyPapers\":{HfDailyJson(count)},\"date\":\"2026-09-14\"}}";
        var html = new StringBuilder("""
            <!doctype html>
            <html class=""><head><meta charset="utf-8"><title>Daily Papers - Hugging Face</title></head>
            <body class="flex flex-col min-h-dvh bg-white dark:bg-gray-950 text-black"><div class="flex min-h-dvh flex-col">
            <div class="SVELTE_HYDRATER contents" data-target="MainHeader" data-props="{&quot;classNames&quot;:&quot;&quot;,&quot;isWide&quot;:false}"><header class="border-b"><a href="/">Hugging Face</a></header></div>
            <main class="flex flex-1 flex-col">
            """);
        html.Append("<div class=\"SVELTE_HYDRATER contents\" data-target=\"DailyPapers\" data-props=\"")
            .Append(WebUtility.HtmlEncode(props)).Append("\"><section class=\"container\">");
        foreach (var p in Papers(count))
            html.Append(CultureInfo.InvariantCulture,
                $"<article class=\"relative flex flex-col\"><a href=\"/papers/{p.Id}\"><img src=\"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{p.Id}.png\" alt=\"\"></a><h3><a href=\"/papers/{p.Id}\">{WebUtility.HtmlEncode(p.Title)}</a></h3><div class=\"leading-none\">{p.Upvotes}</div></article>\n");
        return html.Append("</section></div></main></div></body></html>").ToString();
    }

    /// <summary>arxiv.org/list/cs.AI/new: dt/dd pairs in div#dlpage under new / cross / replace headings (as arxiv-list-new-2026-09-14-cs-ai-new-cross-replace.html).</summary>
    public static string ArxivListingNew(int count)
    {
        var html = new StringBuilder("""
            <!DOCTYPE html><html lang="en"><head><title>Artificial Intelligence  authors/titles "new"</title></head><body>
            <div id='content'><div id='content-inner'><div id='dlpage'>
            <h1>Artificial Intelligence</h1>
            <h2>New submissions (showing 300 of 300 entries)</h2>
            <h3>Showing new listings for Monday, 14 September 2026</h3>
            <dl id='articles'>
            <h3>New submissions (showing 300 of 300 entries)</h3>
            """);
        var papers = Papers(count);
        for (var i = 0; i < papers.Count; i++)
        {
            if (i == count * 6 / 10) html.Append("</dl><dl id='articles'><h3>Cross submissions (showing 100 of 100 entries)</h3>\n");
            if (i == count * 8 / 10) html.Append("</dl><dl id='articles'><h3>Replacement submissions (showing 100 of 100 entries)</h3>\n");
            var p = papers[i];
            html.Append(CultureInfo.InvariantCulture, $"""
                <dt>
                  <a name='item{i + 1}'>[{i + 1}]</a>
                  <a href ="/abs/{p.Id}" title="Abstract" id="{p.Id}">
                    arXiv:{p.Id}
                  </a>
                  [<a href="/pdf/{p.Id}" title="Download PDF" id="pdf-{p.Id}">pdf</a>, <a href="https://arxiv.org/html/{p.Id}v1" title="View HTML" id="html-{p.Id}" rel="noopener noreferrer" target="_blank">html</a>, <a href="/format/{p.Id}" title="Other formats" id="oth-{p.Id}">other</a>]
                </dt>
                <dd>
                  <div class='meta'>
                    <div class='list-title mathjax'><span class='descriptor'>Title:</span>
                      {WebUtility.HtmlEncode(p.Title)}
                    </div>
                    <div class='list-authors'>{string.Join(", ", p.Authors.Select(a => $"<a href=\"https://arxiv.org/a/{a.Split(' ')[^1].ToLowerInvariant()}_1\" rel=\"nofollow\">{WebUtility.HtmlEncode(a)}</a>"))}
                    </div>
                    <div class='list-comments mathjax'><span class='descriptor'>Comments:</span>
                      12 pages, 3 figures
                    </div>
                    <div class='list-subjects'><span class='descriptor'>Subjects:</span>
                      <span class="primary-subject">{Subject(p.Categories[0])}</span>{string.Concat(p.Categories.Skip(1).Select(c => "; " + Subject(c)))}
                    </div>
                    <p class='mathjax'>
                      {WebUtility.HtmlEncode(p.Abstract)}
                    </p>
                  </div>
                </dd>

                """);
        }
        return html.Append("</dl></div></div></div></body></html>").ToString();
    }

    private static string Subject(string code) => $"{Categories.First(c => c.Code == code).Name} ({code})";

    /// <summary>export.arxiv.org/api/query: the current format of arxiv-api-atom-current-three-entries-all-fields.xml.</summary>
    public static string ArxivAtom(int count)
    {
        var xml = new StringBuilder($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
              <id>https://arxiv.org/api/bench</id>
              <title>arXiv Query: search_query=cat:cs.AI&amp;start=0&amp;max_results={count}</title>
              <updated>2026-09-14T00:00:00Z</updated>
              <link href="https://arxiv.org/api/query?search_query=cat:cs.AI" type="application/atom+xml"/>
              <opensearch:itemsPerPage>{count}</opensearch:itemsPerPage>
              <opensearch:totalResults>250000</opensearch:totalResults>
              <opensearch:startIndex>0</opensearch:startIndex>

            """);
        foreach (var p in Papers(count))
        {
            xml.Append(CultureInfo.InvariantCulture, $"""
                  <entry>
                    <id>http://arxiv.org/abs/{p.Id}v1</id>
                    <title>{System.Security.SecurityElement.Escape(p.Title)}</title>
                    <updated>2026-09-13T17:59:59Z</updated>
                    <link href="https://arxiv.org/abs/{p.Id}v1" rel="alternate" type="text/html"/>
                    <link href="https://arxiv.org/pdf/{p.Id}v1" rel="related" type="application/pdf" title="pdf"/>
                    <summary>{System.Security.SecurityElement.Escape(p.Abstract)}</summary>
                    <category term="{p.Categories[0]}" scheme="http://arxiv.org/schemas/atom"/>
                    {string.Concat(p.Categories.Skip(1).Select(c => $"<category term=\"{c}\" scheme=\"http://arxiv.org/schemas/atom\"/>"))}
                    <published>2026-09-13T17:59:59Z</published>
                    <arxiv:comment>12 pages, 3 figures</arxiv:comment>
                    <arxiv:primary_category term="{p.Categories[0]}"/>
                    {string.Concat(p.Authors.Select(a => $"<author><name>{System.Security.SecurityElement.Escape(a)}</name></author>"))}
                  </entry>

                """);
        }
        return xml.Append("</feed>\n").ToString();
    }
}
