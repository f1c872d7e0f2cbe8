using NSubstitute;
using System.Text.Json.Nodes;
using IncidentBot.Core.Messaging;
using IncidentBot.Core.People;
using IncidentBot.Slack.Api;
using IncidentBot.Slack.Views;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncidentBot.Slack.Tests.Views;

public sealed class BlockKitRendererTests
{
    private readonly BlockKitRenderer _renderer;

    public BlockKitRendererTests()
    {
        var roster = Substitute.For<IOptionsMonitor<RosterOptions>>();
        roster.CurrentValue.Returns(new RosterOptions
        {
            People = [new Person { Name = "bob", Role = "engineering-lead", SlackId = "U0BOB" }, new Person { Name = "carol", Role = "cto" }],
        });
        _renderer = new BlockKitRenderer(new SlackPeople(roster, Substitute.For<ISlackApi>(), NullLogger<SlackPeople>.Instance));
    }

    [Fact]
    public void TextIsEscapedForMrkdwnAndRosterPeopleBecomeSlackMentions()
    {
        var message = _renderer.Render(ChatMessage.Plain($"{Mention.Of("bob")} & {Mention.Of("carol")}: p99 > 500ms <b>"));

        var text = (string?)Block(message, "section")["text"]!["text"];
        Assert.Equal("<@U0BOB> &amp; @carol: p99 &gt; 500ms &lt;b&gt;", text);
    }

    [Fact]
    public void ACardHasAHeaderFieldsAFooterAndButtonsCarryingTheirEncodedAction()
    {
        var action = new ButtonAction("INC-7", "step:confirm-outage", "step done INC-7");
        var message = _renderer.Render(new ChatMessage
        {
            Header = "INC-7 · Users cannot sign in",
            Text = "Check the status page.",
            Fields = [new Field("State", "Investigating"), new Field("Commander", Mention.Of("bob"))],
            Footer = "Declared by alice",
            Buttons = [new Button("Done", action, ButtonStyle.Primary), new Button("Skip", action with { Command = "step skip INC-7" })],
        });

        Assert.Equal(["header", "section", "section", "context", "actions"], message.Blocks.Select(b => (string?)b!["type"]));
        Assert.Equal("INC-7 · Users cannot sign in", (string?)Block(message, "header")["text"]!["text"]);
        Assert.Equal("*Commander*\n<@U0BOB>", (string?)message.Blocks[2]!["fields"]![1]!["text"]);
        var done = Block(message, "actions")["elements"]![0]!;
        Assert.Equal(action, ButtonAction.Decode((string?)done["value"]));
        Assert.Equal("primary", (string?)done["style"]);
        Assert.Null(Block(message, "actions")["elements"]![1]!["style"]);
    }

    [Fact]
    public void ADestructiveButtonIsDangerWithAConfirmDialog()
    {
        var message = _renderer.Render(new ChatMessage
        {
            Text = "Revoke 42 sessions?",
            Buttons = [new Button("Approve", new ButtonAction("INC-1", "approval:a1", "approve a1"), ButtonStyle.Danger, "This signs 42 users out.")],
        });

        var button = Block(message, "actions")["elements"]![0]!;
        Assert.Equal("danger", (string?)button["style"]);
        Assert.Equal("This signs 42 users out.", (string?)button["confirm"]!["text"]!["text"]);
        Assert.Equal("Approve", (string?)button["confirm"]!["confirm"]!["text"]);
        Assert.Equal("Cancel", (string?)button["confirm"]!["deny"]!["text"]);
        Assert.Equal("danger", (string?)button["confirm"]!["style"]);
    }

    [Fact]
    public void LongContentKeepsToSlacksLimits()
    {
        var lines = string.Join('\n', Enumerable.Range(0, 4000).Select(i => $"line {i} with some words & more"));
        var message = _renderer.Render(new ChatMessage
        {
            Header = new string('h', 400),
            Text = lines,
            Buttons = [new Button(new string('b', 200), new ButtonAction("INC-1", "", "ack INC-1"))],
        });

        Assert.True(message.Blocks.Count <= BlockKitRenderer.MaxBlocks);
        Assert.True(((string?)Block(message, "header")["text"]!["text"])!.Length <= BlockKitRenderer.MaxHeader);
        Assert.All(message.Blocks.Where(b => (string?)b!["type"] == "section"), b => Assert.InRange(((string?)b!["text"]!["text"])!.Length, 1, BlockKitRenderer.MaxSectionText));
        Assert.True(((string?)Block(message, "actions")["elements"]![0]!["text"]!["text"])!.Length <= BlockKitRenderer.MaxButtonText);
        Assert.Contains("shortened", message.Blocks.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void APressedMessageLosesItsButtonsAndShowsTheOutcome()
    {
        var message = _renderer.Render(new ChatMessage
        {
            Header = "Step 1",
            Text = "Do it",
            Buttons = [new Button("Approve", new ButtonAction("INC-1", "approval:a1", "approve a1"))],
        });

        var pressed = BlockKitRenderer.WithoutButtons(message.Blocks, "Approved by <@U0BOB> at 03:12 UTC");

        Assert.DoesNotContain(pressed, b => (string?)b!["type"] == "actions");
        Assert.Equal("Approved by <@U0BOB> at 03:12 UTC", (string?)pressed[^1]!["elements"]![0]!["text"]);
    }

    private static JsonNode Block(SlackMessage message, string type) => message.Blocks.First(b => (string?)b!["type"] == type)!;
}
