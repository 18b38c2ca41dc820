using Aggregator.Cli;

using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
switch (args)
{
    case ["import", .. var rest]:
    {
        var (options, error) = ImportOptions.Parse(rest);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(ImportOptions.Usage);
            return 2;
        }
        return await new ImportRun(options, client, Console.Out).RunAsync();
    }
    case ["submit", .. var rest]:
    {
        var (options, error) = SubmitOptions.Parse(rest);
        if (options is null)
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(SubmitOptions.Usage);
            return 2;
        }
        try
        {
            return await new SubmitRun(options, client, Console.Out).RunAsync();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            Console.Error.WriteLine($"aggregator submit: {e.Message}");
            return 1;
        }
    }
    default:
        Console.Error.WriteLine(ImportOptions.Usage);
        Console.Error.WriteLine(SubmitOptions.Usage);
        return args is ["--help"] or ["-h"] ? 0 : 2;
}
