using System.Text;

namespace Workflows.Host.Features.Rosters;

/// <summary>
/// CSV as Excel reads and writes it (RFC 4180: comma separated, fields with a comma, quote or line break in
/// double quotes, quotes doubled). Written as UTF-8 with a BOM so Excel shows Chinese; read as UTF-8 (with or
/// without BOM) or, when the bytes are not UTF-8, as GB18030 — what Excel on a Chinese Windows saves.
/// </summary>
public static class RosterCsv
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(byte[] bytes)
    {
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
            return new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true).ReadToEnd();
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GB18030").GetString(bytes);
        }
    }

    /// <summary>The records of <paramref name="text"/>; record i (0-based) is the row i + 1 Excel shows.</summary>
    public static List<List<string>> Parse(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var i = 0;
        void EndField() { record.Add(field.ToString()); field.Clear(); }
        void EndRecord() { EndField(); records.Add(record); record = []; }
        while (i < text.Length)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    quoted = false;
                    i++;
                    continue;
                }
                field.Append(ch);
                i++;
                continue;
            }
            switch (ch)
            {
                case '"' when field.Length == 0 || field.ToString().Trim().Length == 0:
                    field.Clear();
                    quoted = true;
                    break;
                case ',':
                    EndField();
                    break;
                case '\r':
                    EndRecord();
                    if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                    break;
                case '\n':
                    EndRecord();
                    break;
                default:
                    field.Append(ch);
                    break;
            }
            i++;
        }
        if (field.Length > 0 || record.Count > 0 || quoted) EndRecord();
        return records;
    }

    /// <summary>CSV text of <paramref name="rows"/> (CRLF line ends), with a UTF-8 BOM.</summary>
    public static byte[] Write(IEnumerable<IReadOnlyList<string?>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Count; c++)
            {
                if (c > 0) text.Append(',');
                text.Append(Quote(row[c] ?? ""));
            }
            text.Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
}
