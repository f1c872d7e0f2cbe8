namespace IncidentBot.Sandbox;

/// <summary>A Clerk user in the sandbox. Mutable: the Backend API changes it under the sandbox's lock.</summary>
public sealed class SandboxUser
{
    public required string Id { get; init; }

    public required string FirstName { get; set; }

    public required string LastName { get; set; }

    public required List<SandboxEmail> Emails { get; init; }

    public required string PrimaryEmailId { get; set; }

    public bool Banned { get; set; }

    public bool Locked { get; set; }

    public bool PasswordCompromised { get; set; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; set; }

    public long? LastSignInAt { get; set; }

    public long? LastActiveAt { get; set; }

    public string PrimaryEmail => Emails.First(e => e.Id == PrimaryEmailId).Address;
}

public sealed record SandboxEmail(string Id, string Address);

/// <summary>A session; <see cref="Suspicious"/> marks the ones a security drill planted (a far-away IP, an odd client).</summary>
public sealed class SandboxSession
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string ClientId { get; init; }

    public string Status { get; set; } = "active";

    public long CreatedAt { get; init; }

    public long LastActiveAt { get; set; }

    public long UpdatedAt { get; set; }

    public string IpAddress { get; init; } = "203.0.113.10";

    public string City { get; init; } = "Amsterdam";

    public string Country { get; init; } = "NL";

    public string Browser { get; init; } = "Chrome";

    public bool Suspicious { get; init; }
}
