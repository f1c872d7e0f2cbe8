using System.Text.Json.Nodes;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Teams.Tests.Support;
using IncidentBot.Teams.Views;
using Microsoft.Extensions.Options;

namespace IncidentBot.Teams.Tests.Views;

/// <summary>Core's messages drawn as Adaptive Cards 1.5, each checked against the Adaptive Card schema.</summary>
public sealed class AdaptiveCardRendererTests
{
    private readonly AdaptiveCardRenderer _renderer = new(new TeamsPeople(new StaticRoster()));

    public static TheoryData<string> Kinds => ["card", "step", "choice", "approval", "warning", "ping"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindOfMessageIsAValidAdaptiveCard15(string kind)
    {
        var activity = _renderer.Render(Messages[kind]);

        var attachment = (JsonObject)activity["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        var card = (JsonObject)attachment["content"]!;
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Empty(CardSchema.Problems(card));
    }

    [Fact]
    public void TheSchemaRefusesABrokenCard()
    {
        var card = _renderer.Card(Messages["approval"]);
        card["body"]![0]!["weight"] = "Heavy"; // not a FontWeight

        Assert.NotEmpty(CardSchema.Problems(card));
    }

    [Fact]
    public void MicrosoftsOwnCardWithMentionsPassesTheSameCheck() =>
        Assert.Empty(CardSchema.Problems((JsonObject)Specs.Sample("outbound-message-adaptive-card-with-mentions.json")["attachments"]![0]!["content"]!));

    [Fact]
    public void ApprovalButtonsAreActionExecuteFallingBackToActionSubmitAndCarryTheButtonsCommand()
    {
        var card = _renderer.Card(Messages["approval"]);

        var actions = card["body"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["type"] == "ActionSet")["actions"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(["Approve", "Deny"], actions.Select(a => (string?)a["title"]));
        Assert.All(actions, a => Assert.Equal("Action.Execute", (string?)a["type"]));
        Assert.All(actions, a => Assert.Equal("Action.Submit", (string?)a["fallback"]!["type"]));
        Assert.Equal("destructive", (string?)actions[0]["style"]);
        var pressed = ButtonAction.Decode((string?)actions[0]["data"]![AdaptiveCardRenderer.ActionKey]);
        Assert.Equal(new ButtonAction("INC-1", "approval:A1", "approve INC-1 A1"), pressed);
        Assert.Equal(actions[0]["data"]!.ToJsonString(), actions[0]["fallback"]!["data"]!.ToJsonString());
    }

    [Fact]
    public void PeopleWithATeamsIdAreMentionedWithAnEntityAndOthersAreWrittenByName()
    {
        var card = _renderer.Card(Messages["ping"]);

        var text = card.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("Paging <at>alice</at>", text, StringComparison.Ordinal);
        Assert.Contains("then @dave", text, StringComparison.Ordinal);
        var mention = Assert.Single(card["msteams"]!["entities"]!.AsArray())!;
        Assert.Equal("mention", (string?)mention["type"]);
        Assert.Equal("<at>alice</at>", (string?)mention["text"]);
        Assert.Equal(Some.Alice.Aad, (string?)mention["mentioned"]!["id"]);
    }

    [Fact]
    public void ASkipButtonComesWithAReasonInput()
    {
        var card = _renderer.Card(Messages["step"]);

        var input = card["body"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["type"] == "Input.Text");
        Assert.Equal(AdaptiveCardRenderer.ReasonInput, (string?)input["id"]);
    }

    [Fact]
    public void APressedCardLosesItsButtonsAndInputsAndShowsTheOutcome()
    {
        var card = _renderer.Card(Messages["step"]);

        var pressed = AdaptiveCardRenderer.Pressed(card, "Done by bob at 03:10 UTC", keepButtons: false);

        Assert.DoesNotContain("Action.Execute", pressed.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Input.Text", pressed.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("Done by bob at 03:10 UTC", (string?)pressed["body"]!.AsArray()[^1]!["text"]);
        Assert.Empty(CardSchema.Problems(pressed));
        Assert.Contains("Action.Execute", card.ToJsonString(), StringComparison.Ordinal); // the original is untouched
    }

    [Fact]
    public void AReportIsAMarkdownMessage()
    {
        var activity = _renderer.Render(new ChatMessage { Kind = MessageKind.Report, Header = "INC-1 post-incident report", File = new Attachment("INC-1.md", "INC-1 post-incident report", "# INC-1\n\n## Root cause\nAn expired key") });

        Assert.Equal("markdown", (string?)activity["textFormat"]);
        Assert.Contains("## Root cause", (string?)activity["text"], StringComparison.Ordinal);
        Assert.Null(activity["attachments"]);
    }

    private static readonly Dictionary<string, ChatMessage> Messages = new()
    {
        ["card"] = new ChatMessage
        {
            Kind = MessageKind.Card,
            Header = "INC-1 · Users cannot sign in",
            Fields = [new Field("State", "Declared"), new Field("Severity", "sev1"), new Field("Commander", Mention.Of("alice"))],
            Footer = "Runbook: Auth outage response: step 1 of 9",
        },
        ["step"] = new ChatMessage
        {
            Kind = MessageKind.Step,
            Header = "INC-1 · Step 2 of 9: Check application logs for errors",
            Text = "Look for Clerk middleware errors, 401/403 spikes and failed token verification.",
            Buttons = [new Button("Done", new ButtonAction("INC-1", "step:s2", "step INC-1 done"), ButtonStyle.Primary), new Button("Skip", new ButtonAction("INC-1", "step:s2", "step INC-1 skip"))],
        },
        ["choice"] = new ChatMessage
        {
            Kind = MessageKind.Step,
            Header = "INC-1 · Step 3 of 9: Is this a Clerk outage or an application issue?",
            Buttons = [new Button("Clerk outage", new ButtonAction("INC-1", "step:s3", "step INC-1 choose clerk")), new Button("Application issue", new ButtonAction("INC-1", "step:s3", "step INC-1 choose app"))],
        },
        ["approval"] = new ChatMessage
        {
            Kind = MessageKind.Approval,
            Header = "INC-1 · Approval A1: pause webhook processing",
            Text = "Requested by @[alice]. Expires at 03:25 UTC.",
            Fields = [new Field("Action", "hook pause-webhooks"), new Field("Targets", "1")],
            Buttons = [new Button("Approve", new ButtonAction("INC-1", "approval:A1", "approve INC-1 A1"), ButtonStyle.Danger, "Really?"), new Button("Deny", new ButtonAction("INC-1", "approval:A1", "deny INC-1 A1"))],
        },
        ["warning"] = ChatMessage.Warn("INC-1 is Declared: acknowledge it before resolving."),
        ["ping"] = new ChatMessage
        {
            Kind = MessageKind.Ping,
            Header = "INC-1 · Paging level 1 of 3",
            Text = $"Paging {Mention.Of("alice")}, then {Mention.Of("dave")}: Users cannot sign in (sev1).",
            Buttons = [new Button("Acknowledge", new ButtonAction("INC-1", "state:Declared", "ack INC-1"), ButtonStyle.Primary)],
        },
    };

    private sealed class StaticRoster : IOptionsMonitor<RosterOptions>
    {
        public RosterOptions CurrentValue { get; } = new()
        {
            People =
            [
                new Person { Name = "alice", Role = "on-call", TeamsId = Some.Alice.Aad },
                new Person { Name = "dave", Role = "on-call" },
            ],
        };

        public RosterOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<RosterOptions, string?> listener) => null;
    }
}
