using System.Reflection;
using System.Text.RegularExpressions;
using Aggregator.Api.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Aggregator.Api.Tests.Deploy;

/// <summary>A compose file of the repository as YAML nodes, with Compose's <c>${VAR:?message}</c> and <c>${VAR:-default}</c>.</summary>
public sealed class ComposeFile(YamlMappingNode root)
{
    /// <summary>The values the tests give the variables a compose file requires.</summary>
    public static readonly IReadOnlyDictionary<string, string> TestVariables = new Dictionary<string, string>
    {
        ["POSTGRES_PASSWORD"] = "compose-test-password",
        ["AGGREGATOR_ADMIN_KEY"] = "compose-test-admin-key",
    };

    public static string Repository { get; } = FindRepository();

    public static ComposeFile Load(string relativePath)
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Repository, relativePath)));
        yaml.Load(reader);
        return new ComposeFile((YamlMappingNode)yaml.Documents[0].RootNode);
    }

    public IEnumerable<string> Services() => Map(root, "services").Children.Keys.Select(k => k.ToString());

    public IEnumerable<(string Name, string Value)> Environment(string service) =>
        Map(Service(service), "environment").Children.Select(c => (c.Key.ToString(), c.Value.ToString()));

    public string[] Sequence(string service, string key) =>
        Service(service).Children.TryGetValue(key, out var node) ? ((YamlSequenceNode)node).Children.Select(c => c.ToString()).ToArray() : [];

    public string[] HealthCheck(string service) =>
        ((YamlSequenceNode)Map(Service(service), "healthcheck")["test"]).Children.Select(c => c.ToString()).ToArray();

    public string Scalar(string service, params string[] path)
    {
        YamlNode node = Service(service);
        foreach (var key in path)
        {
            node = ((YamlMappingNode)node)[key];
        }
        return node.ToString();
    }

    /// <summary>Compose's interpolation: a required variable without a value fails, as <c>docker compose</c> does.</summary>
    public static string Substitute(string value, IReadOnlyDictionary<string, string> variables) =>
        Regex.Replace(value, @"\$\{(?<name>[A-Z_]+)(?:(?<op>:\?|:-)(?<arg>[^}]*))?\}", m =>
        {
            var name = m.Groups["name"].Value;
            if (variables.TryGetValue(name, out var set))
            {
                return set;
            }
            return m.Groups["op"].Value == ":-" ? m.Groups["arg"].Value
                : throw new InvalidOperationException($"{name} is required: {m.Groups["arg"].Value}");
        });

    /// <summary>A setting the app reads: a connection string it asks for, a property path of its options, a host variable.</summary>
    public static bool IsSetting(string variable)
    {
        var path = variable.Split("__");
        if (path is ["ConnectionStrings", "Aggregator"] || variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || variable.StartsWith("DOTNET_", StringComparison.Ordinal))
        {
            return true;
        }
        if (path[0] != AggregatorOptions.Section)
        {
            return false;
        }
        var type = typeof(AggregatorOptions);
        foreach (var name in path[1..])
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }
            type = property.PropertyType;
        }
        return true;
    }

    private YamlMappingNode Service(string name) => Map(Map(root, "services"), name);

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node[key];

    private static string FindRepository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Aggregator.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Aggregator.sln above {AppContext.BaseDirectory}.");
    }
}
