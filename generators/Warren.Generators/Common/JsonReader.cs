using System;
using System.Globalization;
using System.Text;

namespace Warren.Generators.Common;

/// <summary>
/// Reads JSON text into <see cref="JsonNode"/>s, recording each node's line so that a diagnostic can point into the file.
/// Strict (RFC 8259, no comments or trailing commas); a mistake throws <see cref="FormatException"/> naming its line.
/// </summary>
internal sealed class JsonReader
{
    private readonly string _text;
    private int _position;
    private int _line = 1;

    private JsonReader(string text) => _text = text;

    public static JsonNode Parse(string text)
    {
        var reader = new JsonReader(text);
        JsonNode value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._position < text.Length)
        {
            throw reader.Error("unexpected text after the JSON value");
        }

        return value;
    }

    private JsonNode ReadValue()
    {
        SkipWhitespace();
        if (_position >= _text.Length)
        {
            throw Error("unexpected end of the text");
        }

        int line = _line;
        JsonNode node = _text[_position] switch
        {
            '{' => ReadObject(),
            '[' => ReadArray(),
            '"' => new JsonString(ReadString()),
            't' => ReadWord("true"),
            'f' => ReadWord("false"),
            'n' => ReadWord("null"),
            _ => ReadNumber(),
        };
        node.Line = line;
        return node;
    }

    private JsonObject ReadObject()
    {
        var result = new JsonObject();
        _position++;
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return result;
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                throw Error("expected a property name");
            }

            int line = _line;
            string name = ReadString();
            SkipWhitespace();
            Expect(':');
            JsonNode value = ReadValue();
            // The member's line is its name's, where a reader of the file looks for it.
            value.Line = line;
            result.Members.Add(new(name, value));
            SkipWhitespace();
            if (Peek() == ',')
            {
                _position++;
                continue;
            }

            Expect('}');
            return result;
        }
    }

    private JsonArray ReadArray()
    {
        var result = new JsonArray();
        _position++;
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return result;
        }

        while (true)
        {
            result.Items.Add(ReadValue());
            SkipWhitespace();
            if (Peek() == ',')
            {
                _position++;
                continue;
            }

            Expect(']');
            return result;
        }
    }

    private string ReadString()
    {
        _position++;
        var builder = new StringBuilder();
        while (_position < _text.Length)
        {
            char c = _text[_position++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c < ' ')
            {
                throw Error("a control character in a string");
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            char escape = _position < _text.Length ? _text[_position++] : '\0';
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u' when _position + 4 <= _text.Length
                    && int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code):
                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw Error("an invalid escape in a string");
            }
        }

        throw Error("a string that is never closed");
    }

    private JsonLiteral ReadWord(string word)
    {
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
        {
            throw Error("unexpected text");
        }

        _position += word.Length;
        return new JsonLiteral(word);
    }

    private JsonLiteral ReadNumber()
    {
        int start = _position;
        while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
        {
            _position++;
        }

        string text = _text.Substring(start, _position - start);
        if (text.Length == 0 || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw Error("unexpected text");
        }

        return new JsonLiteral(text);
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"expected '{c}'");
        }

        _position++;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\r' or '\n')
        {
            if (_text[_position] == '\n')
            {
                _line++;
            }

            _position++;
        }
    }

    private FormatException Error(string problem) => new($"line {_line.ToString(CultureInfo.InvariantCulture)}: {problem}");
}
