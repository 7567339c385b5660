using System.Reflection;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Benchmarks;

/// <summary>Instantiates a bundled merge plugin's method directly, for timing it outside the host.</summary>
internal static class PluginMethods
{
    public static IMergeMethod Create(string strategy)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "plugins");
        foreach (var dll in Directory.EnumerateFiles(folder, "Medley.Merging.*.dll", SearchOption.AllDirectories))
        {
            var type = Assembly.LoadFrom(dll).GetTypes().FirstOrDefault(t =>
                typeof(IMergeMethod).IsAssignableFrom(t) && t.GetCustomAttribute<MedleyStrategyAttribute>()?.Name == strategy);
            if (type is not null)
            {
                return (IMergeMethod)Activator.CreateInstance(type)!;
            }
        }

        throw new ArgumentException($"No bundled plugin under {folder} provides merge method '{strategy}'.");
    }
}
