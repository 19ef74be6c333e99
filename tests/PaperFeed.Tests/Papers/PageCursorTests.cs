using PaperFeed.Papers;

namespace PaperFeed.Tests.Papers;

public sealed class PageCursorTests
{
    private static PaperCard Card(long id, int upvotes, int votes, DateTime? published) =>
        new(id, "k" + id, null, "T", [], null, null, published, upvotes, null, null, null, null, null, null, null, votes, null);

    [Theory]
    [InlineData(PaperSort.Top)]
    [InlineData(PaperSort.New)]
    [InlineData(PaperSort.Trending)]
    public void A_cursor_reads_back_as_written_and_only_for_its_own_order(PaperSort sort)
    {
        var published = new DateTime(2026, 6, 1, 12, 30, 15, DateTimeKind.Utc).AddTicks(7);
        var cursor = PageCursor.Of(7, sort, Card(123_456_789_012, 42, 3, published), 0.1 + 0.2);

        Assert.True(PageCursor.TryDecode(cursor.Encode(), sort, out var read));
        Assert.Equal(cursor, read);
        Assert.Equal(published, read!.PublishedAt);
        Assert.Equal(DateTimeKind.Utc, read.PublishedAt!.Value.Kind);
        foreach (var other in Enum.GetValues<PaperSort>().Where(s => s != sort))
            Assert.False(PageCursor.TryDecode(cursor.Encode(), other, out _));
    }

    [Fact]
    public void A_paper_without_a_date_has_a_cursor_too()
    {
        var cursor = PageCursor.Of(2, PaperSort.New, Card(5, 0, 0, null), 0);
        Assert.True(PageCursor.TryDecode(cursor.Encode(), PaperSort.New, out var read));
        Assert.Null(read!.PublishedAt);
        Assert.Equal(5, read.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage!!")]
    [InlineData("%%%")]
    [InlineData("MnwwfHh8MHwxfDF8MQ")] // 2|0|x|0|1|1|1: a date that is not a number
    [InlineData("MXwwfHwwfDB8MXwx")] // 1|0||0|0|1|1: page 1 is never a cursor's page
    [InlineData("MnwwfHwwfDAuNXwxfDE")] // 2|0||0|0.5|1|1: a fractional vote count
    [InlineData("MnwwfHw5fDB8MXwx")] // 2|0||9|0|1|1: no such DateTimeKind
    public void Garbage_is_refused(string token) => Assert.False(PageCursor.TryDecode(token, PaperSort.Top, out _));
}
