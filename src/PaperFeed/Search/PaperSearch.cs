using Microsoft.EntityFrameworkCore;
using PaperFeed.Data;
using PaperFeed.Papers;

namespace PaperFeed.Search;

/// <summary>Full-text matching of papers (title, abstract, authors). The provider-specific SQL lives here only.</summary>
public static class PaperSearch
{
    /// <summary>Papers matching the user's text. User text never reaches a query parser raw.</summary>
    public static IQueryable<Paper> Matching(this IQueryable<Paper> papers, CatalogDbContext db, string query)
    {
        // Placeholder until full-text search lands: every word must appear in the title or abstract.
        var words = query.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(10).ToList();
        foreach (var word in words)
        {
            var pattern = "%" + word.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            papers = papers.Where(p => EF.Functions.Like(p.Title, pattern, "\\") || EF.Functions.Like(p.Abstract!, pattern, "\\"));
        }
        _ = db;
        return papers;
    }
}
