// Each test runs a whole host; the host's Serilog set-up writes through the static Log.Logger, so hosts running
// side by side would see each other's log lines. One at a time keeps log assertions honest (the suite takes seconds).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
