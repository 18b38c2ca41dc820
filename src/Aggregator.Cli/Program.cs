using Aggregator.Cli;

if (args is not ["import", .. var rest])
{
    Console.Error.WriteLine(ImportOptions.Usage);
    return args is ["--help"] or ["-h"] ? 0 : 2;
}
var (options, error) = ImportOptions.Parse(rest);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(ImportOptions.Usage);
    return 2;
}
using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
return await new ImportRun(options, client, Console.Out).RunAsync();
