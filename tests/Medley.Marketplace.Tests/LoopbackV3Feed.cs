using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using NuGet.Packaging;

namespace Medley.Marketplace.Tests;

/// <summary>
/// A real NuGet v3 feed on a loopback port, serving the packages of a folder: the service index, the flat
/// container (PackageBaseAddress/3.0.0) and search (SearchQueryService/3.5.0, filtering by packageType as
/// nuget.org does). Just enough of the protocol for NuGet.Protocol's clients.
/// </summary>
public sealed class LoopbackV3Feed : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _folder;
    private readonly Task _serving;

    public LoopbackV3Feed(string folder)
    {
        _folder = folder;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public string ServiceIndex => BaseUrl + "/v3/index.json";

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with the listener's disposal.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            var url = context.Request.Url!;
            Requests.Enqueue(url.PathAndQuery);
            var (status, body, type) = Answer(url);
            response.StatusCode = status;
            response.ContentType = type;
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
        }
    }

    private (int Status, byte[] Body, string Type) Answer(Uri url)
    {
        var path = url.AbsolutePath;
        if (path == "/v3/index.json")
        {
            return Json(new
            {
                version = "3.0.0",
                resources = new object[]
                {
                    new Dictionary<string, string> { ["@id"] = BaseUrl + "/flat/", ["@type"] = "PackageBaseAddress/3.0.0" },
                    new Dictionary<string, string> { ["@id"] = BaseUrl + "/query", ["@type"] = "SearchQueryService/3.5.0" },
                },
            });
        }

        var packages = Packages();
        if (path == "/query")
        {
            var query = System.Web.HttpUtility.ParseQueryString(url.Query);
            var term = query["q"] ?? string.Empty;
            var packageType = query["packageType"];
            var data = packages
                .Where(p => packageType is null || p.Types.Contains(packageType, StringComparer.OrdinalIgnoreCase))
                .Where(p => p.Id.Contains(term, StringComparison.OrdinalIgnoreCase) || p.Summary.Contains(term, StringComparison.OrdinalIgnoreCase))
                .Where(p => query["prerelease"] == "true" || !p.Version.Contains('-', StringComparison.Ordinal))
                .GroupBy(p => p.Id)
                .Select(g =>
                {
                    var newest = g.MaxBy(p => NuGet.Versioning.NuGetVersion.Parse(p.Version))!;
                    return new Dictionary<string, object>
                    {
                        ["@id"] = $"{BaseUrl}/registration/{newest.Id.ToLowerInvariant()}/index.json",
                        ["id"] = newest.Id,
                        ["version"] = newest.Version,
                        ["description"] = newest.Summary,
                        ["summary"] = newest.Summary,
                        ["versions"] = g.Select(p => new { version = p.Version, downloads = 0 }).ToArray(),
                        ["packageTypes"] = newest.Types.Select(t => new { name = t }).ToArray(),
                    };
                })
                .ToList();
            return Json(new { totalHits = data.Count, data });
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["flat", var id, "index.json"])
        {
            var versions = packages.Where(p => p.Id.Equals(id, StringComparison.OrdinalIgnoreCase)).Select(p => p.Version.ToLowerInvariant()).ToArray();
            return versions.Length == 0 ? (404, [], "text/plain") : Json(new { versions });
        }

        if (parts is ["flat", var packageId, var version, var file]
            && packages.FirstOrDefault(p => p.Id.Equals(packageId, StringComparison.OrdinalIgnoreCase) && p.Version.Equals(version, StringComparison.OrdinalIgnoreCase)) is { } package
            && file.Equals($"{packageId}.{version}.nupkg", StringComparison.OrdinalIgnoreCase))
        {
            return (200, File.ReadAllBytes(package.Path), "application/octet-stream");
        }

        return (404, [], "text/plain");
    }

    private List<(string Id, string Version, string Summary, string[] Types, string Path)> Packages() =>
        Directory.EnumerateFiles(_folder, "*.nupkg").Select(path =>
        {
            using var reader = new PackageArchiveReader(path);
            var nuspec = reader.NuspecReader;
            return (nuspec.GetId(), nuspec.GetVersion().ToNormalizedString(), nuspec.GetSummary() ?? nuspec.GetDescription(), nuspec.GetPackageTypes().Select(t => t.Name).ToArray(), path);
        }).ToList();

    private static (int, byte[], string) Json(object value) => (200, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)), "application/json");
}
