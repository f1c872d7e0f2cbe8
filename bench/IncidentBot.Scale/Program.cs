using IncidentBot.Scale;

// dotnet run -c Release --project bench/IncidentBot.Scale -- <revoke|startup|soak> [--quick] [--minutes N]
// Each prints what it measured and one or more "RESULT<TAB>..." lines that bench/run.sh gathers into its table.
var quick = args.Contains("--quick");
var minutesAt = Array.IndexOf(args, "--minutes");
var minutes = minutesAt >= 0 && minutesAt + 1 < args.Length ? double.Parse(args[minutesAt + 1], System.Globalization.CultureInfo.InvariantCulture) : (quick ? 1 : 10);
var ok = args.FirstOrDefault() switch
{
    "revoke" => await RevokeBench.RunAsync(quick),
    "startup" => await StartupBench.RunAsync(quick),
    "soak" => await SoakBench.RunAsync(minutes),
    _ => Usage(),
};
return ok ? 0 : 1;

static bool Usage()
{
    Console.Error.WriteLine("usage: IncidentBot.Scale <revoke|startup|soak> [--quick] [--minutes N]");
    return false;
}
