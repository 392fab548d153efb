using System;

namespace Warren.Shared;

/// <summary>
/// The edit distance both the runtime (suggesting a configuration key for a misspelled one) and the analyzers (suggesting
/// a property for a misspelled routing-key placeholder) use; one source file, compiled into each.
/// </summary>
internal static class EditDistance
{
    /// <summary>Edit distance counting insertions, deletions, substitutions and swaps of neighbours ("Retyr" is one from "Retry").</summary>
    public static int Between(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
