using IncidentBot.Sync.Gap;
using IncidentBot.Sync.Sink;
using IncidentBot.Sync.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IncidentBot.Sync.Tests.Sink;

[Collection(PostgresCollection.Name)]
public sealed class SyncSchemaTests(PostgresServer server)
{
    [PostgresFact]
    public async Task PrismasUserTableFitsTheDefaultMapping()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();

        var report = await SyncSchema.CheckAsync(world.Db, CancellationToken.None);

        Assert.Empty(report.Problems);
        Assert.Equal("text", report.Facts!.IdType);
    }

    [PostgresFact]
    public async Task TheStartupCheckSaysHowAResyncWillWriteAndNeverTheConnectionString()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.CreatePrismaTableAsync();
        var log = new ListLogger<SyncStartupCheck>();

        await new SyncStartupCheck(world.Db, log).StartAsync(CancellationToken.None);

        var line = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal(
            "Data sync: \"public\".\"User\" fits the mapping; resync reads each batch's rows first, skips the ones already right, " +
            "writes missing users by binary COPY and changed ones by INSERT ... ON CONFLICT", line.Text);
        Assert.DoesNotContain(world.Database.ConnectionString, line.Text, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task AMissingTableIsNamedWithItsSetting()
    {
        await using var world = await SyncWorld.StartAsync(server);

        var report = await SyncSchema.CheckAsync(world.Db, CancellationToken.None);

        Assert.Equal(["Sync:Table: table \"public\".\"User\" does not exist (or this role can't see it)."], report.Problems);
    }

    [PostgresFact]
    public async Task EachProblemWithTheMappingGetsItsOwnSentence()
    {
        await using var world = await SyncWorld.StartAsync(server);
        await world.Database.ExecAsync("""
            CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "clerkId" TEXT NOT NULL, "email" INTEGER, "firstName" TEXT,
                                 "updatedAt" TIMESTAMP(3), "plan" TEXT NOT NULL);
            CREATE INDEX "User_clerkId_idx" ON "User"("clerkId");
            """);

        var report = await SyncSchema.CheckAsync(world.Db, CancellationToken.None);

        Assert.Equal(
        [
            "Sync:Columns:Email: column \"email\" of \"public\".\"User\" is integer; it must be text or varchar.",
            "Sync:Columns:LastName: column \"lastName\" does not exist in \"public\".\"User\"; set it empty if the table has no such column.",
            "Column \"plan\" of \"public\".\"User\" is NOT NULL, has no default and is not mapped, so inserting a missing user would fail: give it a default in the database, or map it (Sync:Columns:Id for a key the bot should generate).",
            "Sync:Columns:ClerkId: column \"clerkId\" of \"public\".\"User\" has no unique index of its own; resync's INSERT ... ON CONFLICT needs one. Fix: CREATE UNIQUE INDEX ON \"public\".\"User\" (\"clerkId\");",
        ], report.Problems);
        Assert.Null(report.Facts);
    }

    [PostgresFact]
    public async Task ASnakeCaseTableWithExtraColumnsAndASoftDeleteColumnCanBeMapped()
    {
        await using var world = await SyncWorld.StartAsync(server, o =>
        {
            o.Schema = "app";
            o.Table = "users";
            o.Columns = new SyncColumns { ClerkId = "clerk_id", Email = "email", FirstName = "first_name", LastName = "last_name", UpdatedAt = "updated_at", Id = "", SoftDelete = "deleted_at" };
        });
        await world.Database.ExecAsync("""
            CREATE SCHEMA app;
            CREATE TABLE app.users (id BIGSERIAL PRIMARY KEY, clerk_id VARCHAR(64) NOT NULL UNIQUE, email VARCHAR(320), first_name TEXT, last_name TEXT,
                                    updated_at TIMESTAMPTZ, deleted_at TIMESTAMPTZ, plan TEXT NOT NULL DEFAULT 'free');
            """);

        var report = await SyncSchema.CheckAsync(world.Db, CancellationToken.None);

        Assert.Empty(report.Problems);
        Assert.Equal("timestamp with time zone", report.Facts!.SoftDeleteType);
    }

    [PostgresFact]
    public async Task AWrongPasswordIsExplainedWithoutTheConnectionStringOrThePassword()
    {
        const string password = "s3cret-Pa55word-never-shown";
        await using var world = await SyncWorld.StartAsync(server);
        var builder = new NpgsqlConnectionStringBuilder(world.Database.ConnectionString) { Username = "nobody_here", Password = password };
        // trust authentication accepts any password, so point at a role that doesn't exist: the server refuses it.
        var options = new SyncOptions { ConnectionString = builder.ConnectionString };
        await using var db = new SyncDatabase(Options.Create(options));

        var report = await SyncSchema.CheckAsync(db, CancellationToken.None);
        var gap = await Assert.ThrowsAsync<SyncDatabaseException>(() => new SyncGap(world.Clerk, db).CheckAsync(CancellationToken.None));

        var problem = Assert.Single(report.Problems);
        Assert.StartsWith("Sync:ConnectionString: can't connect to the database: ", problem, StringComparison.Ordinal);
        Assert.Contains("nobody_here", problem, StringComparison.Ordinal);
        foreach (var text in new[] { problem, gap.Message, gap.ToString() })
        {
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(builder.ConnectionString, text, StringComparison.Ordinal);
        }
    }

    [PostgresFact]
    public async Task AnUnreachableServerIsExplainedWithoutThePassword()
    {
        const string password = "another-Secret-42";
        var options = new SyncOptions { ConnectionString = $"Host=127.0.0.1;Port=9;Username=app;Password={password};Timeout=3" };
        await using var db = new SyncDatabase(Options.Create(options));

        var problem = Assert.Single((await SyncSchema.CheckAsync(db, CancellationToken.None)).Problems);

        Assert.StartsWith("Sync:ConnectionString: can't connect to the database: ", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(password, problem, StringComparison.Ordinal);
    }
}
