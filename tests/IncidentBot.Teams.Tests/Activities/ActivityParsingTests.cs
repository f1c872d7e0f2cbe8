using System.Text;
using IncidentBot.Teams.Activities;
using IncidentBot.Teams.Tests.Support;

namespace IncidentBot.Teams.Tests.Activities;

/// <summary>Reading the real captured activities: mentions, conversation ids, who and where.</summary>
public sealed class ActivityParsingTests
{
    [Fact]
    public void TheBotsMentionIsStrippedFromARealChannelMessage()
    {
        var activity = Parse("inbound-message-channel-mention.json");

        Assert.True(Mentions.MentionsBot(activity));
        Assert.Equal("reply to thread", Mentions.StripBotMention(activity));
        Assert.Equal("channel", activity.ConversationType);
        Assert.Equal("19:6848757105754c8981c67612732d9aa7@thread.tacv2", activity.TeamsChannelId);
        Assert.Equal("b15a9416-0ad3-4172-9210-7beb711d3f70", activity.From!.AadObjectId);
    }

    [Fact]
    public void AMentionOfSomeoneElseIsNotTheBotsAndStaysInTheText()
    {
        var json = Specs.Sample("inbound-message-channel-mention.json");
        json["entities"]![0]!["mentioned"]!["id"] = "29:someone-else";
        var activity = new TeamsActivity(json);

        Assert.False(Mentions.MentionsBot(activity));
        Assert.Equal("<at>ridotest</at> reply to thread", Mentions.StripBotMention(activity));
    }

    [Fact]
    public void AThreadIdIsItsChannelPlusTheRootMessageId()
    {
        var activity = Parse("inbound-message-channel-mention.json");

        Assert.True(ConversationIds.IsThread(activity.ConversationId));
        Assert.Equal(activity.TeamsChannelId, ConversationIds.Base(activity.ConversationId));
        Assert.Equal(activity.ConversationId, ConversationIds.Thread(activity.TeamsChannelId!, "1759881511856"));
        Assert.Equal("19%3A6848757105754c8981c67612732d9aa7%40thread.tacv2%3Bmessageid%3D1759881511856", ConversationIds.Segment(activity.ConversationId));
    }

    [Fact]
    public void ARealInvokeIsAPersonalActionExecute()
    {
        var activity = Parse("inbound-invoke-adaptiveCard-action.json");

        Assert.Equal(("invoke", "adaptiveCard/action"), (activity.Type, activity.Name));
        Assert.True(activity.IsPersonal);
        Assert.Equal("1767765488332", activity.ReplyToId);
        Assert.Equal("Action.Execute", (string?)activity.Value!["action"]!["type"]);
        Assert.Equal("56653e9d-2158-46ee-90d7-675c39642038", activity.TenantId);
    }

    [Fact]
    public void TheBotAddedToATeamNamesTheTeamAndTheChannel()
    {
        var activity = Parse("inbound-conversationUpdate-bot-added-to-team.docs-example.json");

        Assert.Equal("teamMemberAdded", activity.EventType);
        Assert.Equal("channel", activity.ConversationType);
        Assert.Equal("19:zFLSDFWsesfzcmKArqKJ-65aOXJz@sgf462H2wz41@thread.tacv2", activity.TeamId);
        Assert.Equal("b28fdbfd-2b78-4f93-b0f8-8881793f0f8f", activity.TenantId);
    }

    [Fact]
    public void SomethingThatIsNotAnActivityIsNotParsed() =>
        Assert.Null(TeamsActivity.Parse(Encoding.UTF8.GetBytes("[1,2]")));

    private static TeamsActivity Parse(string sample) => new(Specs.Sample(sample));
}
