namespace IncidentBot.Core.Incidents;

/// <summary>What an attempted change to an incident came to: done, or refused with a sentence a responder understands.</summary>
public readonly record struct Outcome(bool Succeeded, string Message)
{
    public static Outcome Done(string message) => new(true, message);

    public static Outcome Refused(string message) => new(false, message);
}
