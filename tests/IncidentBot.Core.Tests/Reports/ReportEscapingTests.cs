using IncidentBot.Core.Reports;
using IncidentBot.Core.Tests.Support;

namespace IncidentBot.Core.Tests.Reports;

/// <summary>Issue 13, Low: notes injected headings and raw HTML into the report, and control characters reached it.</summary>
public sealed class ReportEscapingTests : IDisposable
{
    private readonly CoreHarness _core = new();

    [Fact]
    public async Task SomeonesTextCannotForgeHeadingsListsOrRawHtmlInTheReport()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 **Bold** <img src=x onerror=alert(1)> ![pixel](http://tracker.example/p.png)");
        await _core.RunAsync("/incident note INC-1 root-cause: the key\n## Resolution\n# Owned\n- [x] done\n1. first\n<script>alert(1)</script>\n===");
        await _core.RunAsync("/incident note INC-1 prevention: <b>bold</b> | table | `code`");
        await _core.RunAsync("/incident note INC-1 lesson: @[carol] was *not* mentioned");

        var report = await ReportAsync();

        Assert.StartsWith("# Incident Report: \\*\\*Bold\\*\\* &lt;img src=x onerror=alert(1)&gt; !\\[pixel\\](http://tracker.example/p.png)\n", report);
        Assert.Contains("## Root Cause\nthe key\n\\## Resolution\n\\# Owned\n\\- \\[x\\] done\n1\\. first\n&lt;script&gt;alert(1)&lt;/script&gt;\n\\===\n", report);
        Assert.Contains("- [ ] &lt;b&gt;bold&lt;/b&gt; \\| table \\| \\`code\\`\n", report);
        Assert.Contains("## Lessons Learned\ncarol was \\*not\\* mentioned\n", report);
        Assert.Single(report.Split('\n'), l => l == "## Resolution");
        Assert.DoesNotContain("<script>", report);
        Assert.DoesNotContain("<img", report);
    }

    [Fact]
    public async Task ControlCharactersNeverReachTheReport()
    {
        await _core.RunAsync("/incident declare auth-outage sev1 Bell\u0007 and escape\u001b[2J title");
        await _core.RunAsync("/incident note INC-1 root-cause: nul\u0000 and\ttab and\r\ncrlf");

        var report = await ReportAsync();

        Assert.DoesNotContain(report, c => char.IsControl(c) && c != '\n');
        Assert.StartsWith("# Incident Report: Bell and escape\\[2J title\n", report);
        Assert.Contains("## Root Cause\nnul and tab and\ncrlf\n", report);
    }

    [Theory]
    [InlineData("plain words stay plain", "plain words stay plain")]
    [InlineData("user_a and snake_case ids", "user_a and snake_case ids")]
    [InlineData("a < b & c > d", "a &lt; b & c &gt; d")]
    [InlineData("two\nlines", "two lines")]
    public void InlineTextIsEscapedOnlyWhereMarkdownWouldReadIt(string text, string expected)
    {
        Assert.Equal(expected, ReportWriter.Inline(text));
    }

    [Fact]
    public void ALoneSurrogateBecomesAReplacementCharacter()
    {
        // Not theory data: xunit's serialisation of test cases would mangle the lone surrogate itself.
        Assert.Equal("lone \uFFFD surrogate", ReportWriter.Inline("lone " + (char)0xD83D + " surrogate"));
    }

    public void Dispose() => _core.Dispose();

    private async Task<string> ReportAsync()
    {
        await _core.RunAsync("/incident report INC-1");
        return _core.Surface.Posts.Last().File!.Content;
    }
}
