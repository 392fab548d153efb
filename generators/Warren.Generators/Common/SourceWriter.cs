using System;
using System.Text;

namespace Warren.Generators.Common;

/// <summary>A string builder that indents: every line written, including each line of a multi-line raw string, gets the current indentation.</summary>
internal sealed class SourceWriter
{
    private const int SpacesPerLevel = 4;
    private readonly StringBuilder _builder = new();
    private int _indentation;

    public void Indent() => _indentation++;

    public void Unindent()
    {
        if (_indentation == 0)
        {
            throw new InvalidOperationException("Cannot unindent below zero.");
        }

        _indentation--;
    }

    public void OpenBlock()
    {
        WriteLine("{");
        Indent();
    }

    public void CloseBlock(string suffix = "")
    {
        Unindent();
        WriteLine("}" + suffix);
    }

    public void WriteLine() => _builder.Append('\n');

    /// <summary>Writes one or more lines, indenting each non-empty one.</summary>
    public void WriteLine(string text)
    {
        int start = 0;
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }

            string line = text.Substring(start, end - start).TrimEnd('\r');
            if (line.Length > 0)
            {
                _builder.Append(' ', _indentation * SpacesPerLevel).Append(line);
            }

            _builder.Append('\n');
            start = end + 1;
        }
    }

    public override string ToString() => _builder.ToString();
}
