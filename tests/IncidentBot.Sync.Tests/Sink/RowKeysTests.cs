using IncidentBot.Sync.Sink;

namespace IncidentBot.Sync.Tests.Sink;

public sealed class RowKeysTests
{
    [Fact]
    public void ABatchOfKeysAreDistinctVersionSevenUuidsCarryingTheirMillisecond()
    {
        var now = new DateTimeOffset(2026, 11, 28, 18, 0, 0, 123, TimeSpan.Zero);

        var keys = RowKeys.NewBatch(10_000, now);

        Assert.Equal(10_000, keys.Distinct().Count());
        foreach (var key in keys.Take(100))
        {
            var text = key.ToString("N");
            Assert.Equal(now.ToUnixTimeMilliseconds(), Convert.ToInt64(text[..12], 16));
            Assert.Equal('7', text[12]);
            Assert.Contains(text[16], "89ab");
            Assert.Equal(7, key.Version);
        }
    }
}
