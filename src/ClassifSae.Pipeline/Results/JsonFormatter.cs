using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ClassifSae.Results;

/// <summary>
/// Indented JSON array with one object per row (keys = column names). Numbers stay numbers;
/// NaN and infinities, which JSON cannot hold, become the strings "NaN", "Infinity", "-Infinity".
/// </summary>
public static class JsonFormatter
{
    public static string Format(QueryResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var row in result.Rows)
            {
                w.WriteStartObject();
                for (var i = 0; i < result.Columns.Count; i++)
                {
                    w.WritePropertyName(result.Columns[i]);
                    WriteValue(w, row[i]);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n") + "\n";
    }

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case double d when !double.IsFinite(d): w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case float f when !float.IsFinite(f): w.WriteStringValue(f.ToString(CultureInfo.InvariantCulture)); break;
            case double d: w.WriteNumberValue(d); break;
            case float f: w.WriteNumberValue(f); break;
            case decimal m: w.WriteNumberValue(m); break;
            case int or long or short or sbyte or byte or ushort or uint or ulong or System.Numerics.BigInteger or Int128 or UInt128:
                w.WriteRawValue(CellText.Format(value)!); break;
            case DateTime t: w.WriteStringValue(t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture)); break;
            case IEnumerable e:
                w.WriteStartArray();
                foreach (var item in e) WriteValue(w, item);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(CellText.Format(value)); break;
        }
    }
}
