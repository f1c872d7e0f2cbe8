using IncidentBot.Scale;

// dotnet run -c Release --project bench/IncidentBot.Scale -- <revoke|startup|soak> [--quick] [--minutes N]
//        ... -- make-file PATH      (the start-up benchmark's storage file, kept, to look into)
//        ... -- parts PATH          (list, timeline and report timed in-process on such a file)
// Each prints what it measured and one or more "RESULT<TAB>..." lines that bench/run.sh gathers into its table.
var quick = args.Contains("--quick");
var minutesAt = Array.IndexOf(args, "--minutes");
var minutes = minutesAt >= 0 && minutesAt + 1 < args.Length ? double.Parse(args[minutesAt + 1], System.Globalization.CultureInfo.InvariantCulture) : (quick ? 1 : 10);
var ok = args.FirstOrDefault() switch
{
    "revoke" => await RevokeBench.RunAsync(quick),
    "startup" => await StartupBench.RunAsync(quick),
    "soak" => await SoakBench.RunAsync(minutes),
    "make-file" when args.Length > 1 => MakeFile(args[1]),
    "parts" when args.Length > 1 => Parts(args[1]),
    _ => Usage(),
};
return ok ? 0 : 1;

static bool MakeFile(string path)
{
    Console.WriteLine(ScaleFile.Create(Path.GetFullPath(path), 1000, 100_000, 10_000));
    return true;
}

static bool Parts(string path)
{
    StartupBench.InProcess(Path.GetFullPath(path));
    return true;
}

static bool Usage()
{
    Console.Error.WriteLine("usage: IncidentBot.Scale <revoke|startup|soak> [--quick] [--minutes N]");
    return false;
}
