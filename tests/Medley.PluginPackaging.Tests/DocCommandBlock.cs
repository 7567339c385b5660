namespace Medley.PluginPackaging.Tests;

/// <summary>A command block of a docs page; <see cref="Needs"/> names what it needs besides the dotnet SDK.</summary>
public sealed record DocCommandBlock(string? Needs, string Commands);
