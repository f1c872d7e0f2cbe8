using IncidentBot.Sync.Resync;

namespace IncidentBot.Sync.Tests.Resync;

/// <summary>The progress line in the room: counts, then this run's pace and the time left at it while users are left.</summary>
public sealed class ProgressTextTests
{
    [Theory]
    [InlineData(18_500, 120_000, 3, false, 4_100.4, "18,500 of 120,000 users; 3 failed; 4,100 users/s, about 25 s left")]
    [InlineData(40_000, 100_000, 0, false, 100.0, "40,000 of 100,000 users; 0 failed; 100 users/s, about 10 min left")]
    [InlineData(1_000, 1_000_000, 0, false, 100.0, "1,000 of 1,000,000 users; 0 failed; 100 users/s, about 2 h 46 min left")]
    [InlineData(500, 1_200, 2, true, 50.0, "500 of 1,200 users; 2 failed (resumed); 50 users/s, about 14 s left")]
    [InlineData(1_200, 1_200, 3, false, 50.0, "1,200 of 1,200 users; 3 failed")]
    [InlineData(100, 1_200, 0, false, null, "100 of 1,200 users; 0 failed")]
    public void WhileUsersAreLeftTheLineSaysThePaceAndTheTimeLeft(long done, long total, long failed, bool resumed, double? rate, string expected) =>
        Assert.Equal(expected, new ResyncProgress(done, total, failed, resumed, ResyncCheckpoint.UsersPhase, rate).Text);

    [Fact]
    public void RemovingOrphansHasNoPace() =>
        Assert.Equal("1,200 of 1,200 users; 0 failed; now removing orphans",
            new ResyncProgress(1_200, 1_200, 0, false, ResyncCheckpoint.OrphansPhase, 50).Text);
}
