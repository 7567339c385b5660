using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Sdk.Testing;

/// <summary>Constructs strategy classes with the services a host container offers every plugin.</summary>
internal static class StrategyActivator
{
    public static IMedleyStrategy? TryCreate(Type type, ViolationList violations)
    {
        var constructors = type.GetConstructors().OrderBy(c => c.GetParameters().Length).ToList();
        foreach (var constructor in constructors)
        {
            var arguments = constructor.GetParameters().Select(p => Resolve(p.ParameterType)).ToArray();
            if (arguments.Any(a => a is null))
            {
                continue;
            }

            try
            {
                return (IMedleyStrategy)constructor.Invoke(arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is { } cause)
            {
                violations.Add($"class {type.FullName}: its constructor threw {cause.GetType().Name}: {cause.Message}");
                return null;
            }
        }

        violations.Add($"class {type.FullName} has no public constructor the host can call: give it a parameterless one or one taking only ILoggerFactory, ILogger<T> and TimeProvider.");
        return null;
    }

    private static object? Resolve(Type type)
    {
        if (type == typeof(ILoggerFactory))
        {
            return NullLoggerFactory.Instance;
        }

        if (type == typeof(TimeProvider))
        {
            return TimeProvider.System;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ILogger<>))
        {
            return Activator.CreateInstance(typeof(NullLogger<>).MakeGenericType(type.GetGenericArguments()));
        }

        return type == typeof(ILogger) ? NullLogger.Instance : null;
    }
}
