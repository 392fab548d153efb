using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Warren.Shared;

namespace Warren.Generators.Diagnostics;

/// <summary>
/// The keys of the properties some diagnostics carry for Warren's code fixes (Warren.CodeFixes): what the analyzer already
/// knows, so that a fix does not work it out again, and never differently.
/// </summary>
internal static class FixProperties
{
    /// <summary>WARREN001: the name between the braces that names no readable property, as the parser reads it (trimmed).</summary>
    public const string Placeholder = "WarrenPlaceholder";

    /// <summary>WARREN001: the readable properties nearest to <see cref="Placeholder"/>, best first, separated by <see cref="Separator"/>.</summary>
    public const string Suggestions = "WarrenSuggestions";

    /// <summary>WARREN011, WARREN013: <see cref="RemoveAbstract"/> or <see cref="MakeAccessible"/>; absent when no fix is clear.</summary>
    public const string ClassFix = "WarrenClassFix";

    /// <summary>With <see cref="MakeAccessible"/>: how many types out from the class is the one to change (0: the class itself).</summary>
    public const string Depth = "WarrenDepth";

    /// <summary>WARREN019: <c>typeof(Derived)</c> as the message's <c>[JsonDerivedType]</c> should name it.</summary>
    public const string DerivedType = "WarrenDerivedType";

    /// <summary>WARREN019: the discriminator to give the derived type (its name in camel case).</summary>
    public const string Discriminator = "WarrenDiscriminator";

    /// <summary>The class is abstract and declares or inherits no abstract member left to implement: dropping <c>abstract</c> is all it takes.</summary>
    public const string RemoveAbstract = "RemoveAbstract";

    /// <summary>The class, or the type it is nested in, is private, protected or file-local: it must become internal (or public).</summary>
    public const string MakeAccessible = "MakeAccessible";

    public const char Separator = ',';

    /// <summary>The properties for one WARREN001 placeholder, or null when no property name is near enough to suggest.</summary>
    public static ImmutableDictionary<string, string?>? ForPlaceholder(string placeholder, IEnumerable<string> propertyNames)
    {
        ImmutableArray<string> nearest = Nearest(placeholder, propertyNames);
        return nearest.IsEmpty
            ? null
            : ImmutableDictionary<string, string?>.Empty
                .Add(Placeholder, placeholder)
                .Add(Suggestions, string.Join(Separator.ToString(), nearest));
    }

    /// <summary>
    /// The names nearest to <paramref name="typo"/>, at most three: those equal but for case first, then by edit distance
    /// (a swap of two neighbours counts once), within a third of the typo's length (at least 1, at most 3), then by name.
    /// </summary>
    public static ImmutableArray<string> Nearest(string typo, IEnumerable<string> names)
    {
        if (typo.Length == 0)
        {
            return ImmutableArray<string>.Empty;
        }

        int limit = Math.Min(3, Math.Max(1, typo.Length / 3));
        return names
            .Distinct(StringComparer.Ordinal)
            .Where(name => name != typo)
            .Select(name => (Name: name, Distance: string.Equals(name, typo, StringComparison.OrdinalIgnoreCase) ? 0 : EditDistance.Between(typo.ToUpperInvariant(), name.ToUpperInvariant())))
            .Where(candidate => candidate.Distance <= limit)
            .OrderBy(candidate => candidate.Distance)
            .ThenBy(candidate => candidate.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(candidate => candidate.Name)
            .ToImmutableArray();
    }
}
