using Aggregator.Scale;

const string Usage = """
    Aggregator.Scale — the national-scale benchmark (issue 9) and the soak (issue 10).

      generate --reports N [--seed 1] [--last-year Y]
          Describe the first N reports of the data set: agencies, blanks, rule breakers, largest values.
      load --api URL --key KEY --reports N [--seed 1] [--last-year Y] [--clients 16] [--out DIR]
          Register the agencies and submit the data set up to N reports (only what is missing), through the bulk
          path when the API has it, else PUT per report.
      measure --api URL --db CONNSTRING --key KEY --out DIR [--api-pid PID] [--duration S] [--seed 1] [--last-year Y]
          Rollup, SQL, empty-endpoint and ingestion figures on the data as loaded: DIR/run-<reports>.md, DIR/figures.csv.
      soak --api URL --key KEY [--api-pid PID] [--minutes 10] [--window 60] [--clients 8] [--out DIR] [--seed 1]
          80% rollups / 20% corrections on the data as loaded; per window: requests, p50/p99, errors, API RSS;
          then the RSS trend (DIR/soak.md). Exit 1 on any error.
      dashboard --api URL [--runs 10] [--out DIR]
          The dashboard's region view in headless chromium (Debian's): first render, cold and warm, of the country,
          the province and the prefecture with the most reports (DIR/dashboard-<reports>.md).
      report --out DIR
          The combined table of every size measured (DIR/summary.md) and the latency chart (DIR/latency.png, gnuplot).
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return 0;
}
try
{
    var options = new Options(args.Skip(1));
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    return args[0] switch
    {
        "generate" => GenerateCommand.Run(options),
        "load" => await LoadCommand.RunAsync(options, stop.Token),
        "measure" => await MeasureCommand.RunAsync(options, stop.Token),
        "soak" => await SoakCommand.RunAsync(options, stop.Token),
        "dashboard" => await DashboardCommand.RunAsync(options, stop.Token),
        "report" => ReportCommand.Run(options),
        _ => throw new UsageException($"Unknown command '{args[0]}'."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
