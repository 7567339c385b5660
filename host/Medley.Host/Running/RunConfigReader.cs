using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Medley.Host.Chat;
using Medley.Host.Merging.Configuration;
using Medley.Host.Schemas;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Medley.Host.Running;

/// <summary>
/// Reads run configs: YAML checked against <c>run-config.schema.json</c>, every problem reported at once with its
/// line and field, model paths taken relative to the run file.
/// </summary>
public static class RunConfigReader
{
    private static readonly string[] _memberKeys = ["path", "name", "device", "prompt_format", "endpoint", "model", "api_key_env", "cost", "timeout_s", "retries"];

    // Fields that would hold a secret in the file itself: refused, the key must come from the environment.
    private static readonly string[] _secretKeys = ["api_key", "apikey", "key", "token", "bearer"];
    private static readonly Lazy<JsonDocument> _schemaDocument = new(LoadSchemaDocument);
    private static readonly Lazy<JsonSchema> _schema = new(() => JsonSchemaChecker.Build(_schemaDocument.Value.RootElement));

    /// <summary>Reads a run config file.</summary>
    /// <param name="path">The YAML file.</param>
    /// <returns>The config.</returns>
    /// <exception cref="MedleyException">When the file is missing, malformed, breaks the schema or names missing model folders.</exception>
    public static RunConfig Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new MedleyException(RunErrorCodes.ConfigInvalid, $"Run config '{path}' does not exist: expected a YAML file.");
        }

        var full = Path.GetFullPath(path);
        return Parse(File.ReadAllText(full), path, Path.GetDirectoryName(full)!);
    }

    /// <summary>Reads run config text.</summary>
    /// <param name="yaml">The YAML.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <param name="folder">The folder relative model paths are taken from.</param>
    /// <returns>The config.</returns>
    /// <exception cref="MedleyException">When the text is malformed, breaks the schema or names missing model folders.</exception>
    public static RunConfig Parse(string yaml, string source, string folder)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var root = ToJson(yaml, source, lines);
        var element = JsonSerializer.SerializeToElement(root);
        var problems = JsonSchemaChecker.Evaluate(_schema.Value, element)
            .Select(problem => Locate(problem, lines))
            .ToList();
        Fail(source, problems);

        var config = Build(element, source, folder, lines, problems);
        Fail(source, problems);
        return config;
    }

    private static JsonNode? ToJson(string yaml, string source, Dictionary<string, int> lines)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new MedleyException(
                RunErrorCodes.ConfigInvalid,
                $"Run config '{source}' is not valid YAML (line {ex.Start.Line}, column {ex.Start.Column}): {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's representation model gives up on some malformed input without a position.
            throw new MedleyException(RunErrorCodes.ConfigInvalid, $"Run config '{source}' is not valid YAML: {ex.Message}");
        }

        if (stream.Documents.Count != 1)
        {
            throw new MedleyException(
                RunErrorCodes.ConfigInvalid,
                $"Run config '{source}' holds {stream.Documents.Count} YAML documents: expected one mapping with strategy and models.");
        }

        return Convert(stream.Documents[0].RootNode, string.Empty, lines);
    }

    private static JsonNode? Convert(YamlNode node, string pointer, Dictionary<string, int> lines)
    {
        lines[pointer] = (int)node.Start.Line;
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : key.ToString();
                    var child = $"{pointer}/{name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)}";
                    obj[name] = Convert(value, child, lines);
                    lines[child] = (int)key.Start.Line;
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, $"{pointer}/{array.Count}", lines));
                }

                return array;
            case YamlScalarNode scalar:
                return YamlScalars.ToJson(scalar);
            default:
                // Aliases are resolved by the representation model; anything else has no JSON meaning.
                return JsonValue.Create(node.ToString());
        }
    }

    private static RunConfig Build(JsonElement root, string source, string folder, Dictionary<string, int> lines, List<string> problems)
    {
        var members = new List<RunMemberConfig>();
        foreach (var role in root.GetProperty("models").EnumerateObject())
        {
            var entries = role.Value.ValueKind == JsonValueKind.Array
                ? role.Value.EnumerateArray().Select((entry, i) => (entry, Pointer: $"/models/{role.Name}/{i}")).ToList()
                : [(role.Value, $"/models/{role.Name}")];
            foreach (var (entry, pointer) in entries)
            {
                var member = ReadMember(role.Name, entry, folder, pointer, lines, problems);
                if (member is null)
                {
                    continue;
                }

                if (!member.IsRemote && !Directory.Exists(member.Path) && !File.Exists(member.Path))
                {
                    problems.Add(At(pointer, lines, $"model folder '{RawPath(entry)}' ({member.Path}) does not exist: expected an ONNX model folder"));
                }

                if (members.Any(m => string.Equals(m.Name, member.Name, StringComparison.Ordinal)))
                {
                    problems.Add(At(pointer, lines, $"member name '{member.Name}' is already used by another member: give each a distinct 'name'"));
                }

                members.Add(member);
            }
        }

        var sampling = root.TryGetProperty("sampling", out var s) ? ReadSampling(s) : new SamplingOptions();
        return new RunConfig
        {
            Source = source,
            Strategy = root.GetProperty("strategy").GetString()!,
            Members = members,
            Parameters = root.TryGetProperty("parameters", out var parameters) ? parameters.Clone() : StrategyParameters.Empty.Json,
            Sampling = sampling,
            HasSampling = root.TryGetProperty("sampling", out _),
            Device = root.TryGetProperty("device", out var device) ? device.GetString()! : "cpu",
        };
    }

    private static RunMemberConfig? ReadMember(string role, JsonElement entry, string folder, string pointer, Dictionary<string, int> lines, List<string> problems)
    {
        if (entry.ValueKind == JsonValueKind.String)
        {
            var local = Path.GetFullPath(Path.Combine(folder, entry.GetString()!));
            return new RunMemberConfig(role, local, DefaultName(local), null, StrategyParameters.Empty);
        }

        var before = problems.Count;
        foreach (var secret in entry.EnumerateObject().Where(p => _secretKeys.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add(At($"{pointer}/{secret.Name}", lines, $"'{secret.Name}' would put a secret in the run config, which is refused: name the environment variable holding the key with 'api_key_env' instead"));
        }

        var hasPath = entry.TryGetProperty("path", out var pathElement);
        var hasEndpoint = entry.TryGetProperty("endpoint", out var endpointElement);
        if (hasPath == hasEndpoint)
        {
            problems.Add(At(pointer, lines, hasPath
                ? "a member takes 'path' (a local ONNX model folder) or 'endpoint' (an OpenAI-compatible server), not both"
                : "a member needs 'path' (a local ONNX model folder) or 'endpoint' (an OpenAI-compatible server)"));
        }

        RemoteMemberConfig? remote = null;
        if (hasEndpoint)
        {
            remote = ReadRemote(entry, endpointElement.GetString()!, pointer, lines, problems);
        }
        else
        {
            foreach (var field in new[] { "model", "api_key_env", "retries" }.Where(f => entry.TryGetProperty(f, out _)))
            {
                problems.Add(At($"{pointer}/{field}", lines, $"'{field}' applies to remote members only (those with an 'endpoint')"));
            }
        }

        if (hasEndpoint && entry.TryGetProperty("device", out _))
        {
            problems.Add(At($"{pointer}/device", lines, "'device' applies to local members only: a remote member runs on its server"));
        }

        if (problems.Count > before)
        {
            return null;
        }

        var path = hasPath ? Path.GetFullPath(Path.Combine(folder, pathElement.GetString()!)) : string.Empty;
        var name = entry.TryGetProperty("name", out var n) ? n.GetString()! : remote?.Model ?? DefaultName(path);
        var device = entry.TryGetProperty("device", out var d) ? d.GetString() : null;
        var parameters = entry.EnumerateObject()
            .Where(p => !_memberKeys.Contains(p.Name, StringComparer.Ordinal))
            .Select(p => new KeyValuePair<string, object?>(p.Name, p.Value));
        return new RunMemberConfig(role, path, name, device, StrategyParameters.FromValues(parameters))
        {
            Remote = remote,
            PromptFormat = entry.TryGetProperty("prompt_format", out var format) && format.GetString() == "raw" ? ChatPromptFormat.Raw : ChatPromptFormat.Template,
            Cost = entry.TryGetProperty("cost", out var cost)
                ? new MemberCost(
                    cost.TryGetProperty("input_per_million", out var input) ? input.GetDouble() : 0,
                    cost.TryGetProperty("output_per_million", out var output) ? output.GetDouble() : 0)
                : null,
            Timeout = entry.TryGetProperty("timeout_s", out var timeout) ? TimeSpan.FromSeconds(timeout.GetDouble()) : null,
            Retries = entry.TryGetProperty("retries", out var retries) ? retries.GetInt32() : 2,
        };
    }

    private static RemoteMemberConfig? ReadRemote(JsonElement entry, string endpoint, string pointer, Dictionary<string, int> lines, List<string> problems)
    {
        var valid = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
        if (!valid)
        {
            problems.Add(At($"{pointer}/endpoint", lines, $"'{endpoint}' is not an http(s) URL: expected an OpenAI-compatible server's base URL like https://api.openai.com/v1"));
        }

        if (!entry.TryGetProperty("model", out var model))
        {
            problems.Add(At(pointer, lines, "a remote member (with 'endpoint') needs 'model': the model name sent to the server"));
        }

        if (entry.TryGetProperty("prompt_format", out _))
        {
            problems.Add(At($"{pointer}/prompt_format", lines, "'prompt_format' applies to local members only: a remote server formats its own prompts"));
        }

        var keyVariable = entry.TryGetProperty("api_key_env", out var key) ? key.GetString() : null;
        return valid && model.ValueKind == JsonValueKind.String ? new RemoteMemberConfig(uri!, model.GetString()!, keyVariable) : null;
    }

    private static string RawPath(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.String ? entry.GetString()! : entry.GetProperty("path").GetString()!;

    private static string DefaultName(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(path));

    private static SamplingOptions ReadSampling(JsonElement sampling)
    {
        var options = new SamplingOptions();
        foreach (var field in sampling.EnumerateObject())
        {
            options = field.Name switch
            {
                "temperature" => options with { Temperature = field.Value.GetDouble() },
                "top_k" => options with { TopK = field.Value.GetInt32() },
                "top_p" => options with { TopP = field.Value.GetDouble() },
                "min_p" => options with { MinP = field.Value.GetDouble() },
                "repetition_penalty" => options with { RepetitionPenalty = field.Value.GetDouble() },
                "max_tokens" => options with { MaxTokens = field.Value.GetInt32() },
                "seed" => options with { Seed = field.Value.GetUInt64() },
                "stop" => options with
                {
                    StopStrings = field.Value.ValueKind == JsonValueKind.String
                        ? [field.Value.GetString()!]
                        : field.Value.EnumerateArray().Select(e => e.GetString()!).ToList(),
                },
                _ => options,
            };
        }

        return options;
    }

    // Schema problems arrive as "pointer: message"; the pointer is turned into the line and dotted field a user reads.
    private static string Locate(string problem, Dictionary<string, int> lines)
    {
        var split = problem.IndexOf(": ", StringComparison.Ordinal);
        var pointer = problem[..split];
        var message = problem[(split + 2)..];
        if (message.StartsWith("All values fail against the false schema", StringComparison.Ordinal))
        {
            // additionalProperties: false says no more than that; name the fields that are allowed instead.
            message = $"unknown field: expected one of {string.Join(", ", KnownFields(pointer[..pointer.LastIndexOf('/')]))}";
        }

        return At(pointer == "/" ? string.Empty : pointer, lines, message);
    }

    private static IEnumerable<string> KnownFields(string parentPointer)
    {
        var schema = _schemaDocument.Value.RootElement;
        var parts = parentPointer.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (parts.Count >= 2 && parts[0] == "models")
        {
            // Under models come a role name and maybe a list index, neither of them a schema property.
            schema = schema.GetProperty("$defs").GetProperty("member");
            parts = parts.Skip(2).SkipWhile(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)).ToList();
        }

        foreach (var part in parts)
        {
            schema = schema.GetProperty("properties").GetProperty(part);
        }

        return schema.GetProperty("properties").EnumerateObject().Select(p => p.Name);
    }

    private static string At(string pointer, Dictionary<string, int> lines, string message)
    {
        var probe = pointer;
        while (!lines.ContainsKey(probe) && probe.Length > 0)
        {
            probe = probe[..probe.LastIndexOf('/')];
        }

        var line = lines.TryGetValue(probe, out var found) ? found : 1;
        return pointer.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"line {line}: {message}")
            : string.Create(CultureInfo.InvariantCulture, $"line {line}, {Field(pointer)}: {message}");
    }

    private static string Field(string pointer)
    {
        var parts = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        var field = string.Empty;
        foreach (var part in parts)
        {
            field += int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? $"[{part}]" : (field.Length == 0 ? part : "." + part);
        }

        return field;
    }

    private static void Fail(string source, List<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
        throw new MedleyException(
            RunErrorCodes.ConfigInvalid,
            $"Run config '{source}' has {count}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}",
            details: problems.ToList());
    }

    private static JsonDocument LoadSchemaDocument()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Medley.Host.run-config.schema.json")
            ?? throw new InvalidOperationException("The host was built without run-config.schema.json.");
        return JsonDocument.Parse(stream);
    }
}
