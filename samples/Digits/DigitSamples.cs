using System.Globalization;
using System.Text;

namespace Digits;

/// <summary>One held-out digit: its label and 64 pixel values (8x8, row-major, 0..16).</summary>
internal sealed record DigitSample(int Label, float[] Pixels);

internal static class DigitSamples
{
    public static List<DigitSample> Load(string path) =>
        File.ReadLines(path)
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split(','))
            .Select(values => new DigitSample(
                int.Parse(values[0], CultureInfo.InvariantCulture),
                values.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>The 8x8 image as text, darker characters for higher values.</summary>
    public static string Render(float[] pixels)
    {
        const string shades = " .:-=+*#%@";
        var text = new StringBuilder();
        for (var row = 0; row < 8; row++)
        {
            text.Append("    ");
            for (var column = 0; column < 8; column++)
            {
                var shade = shades[(int)(pixels[row * 8 + column] / 16f * (shades.Length - 1))];
                text.Append(shade).Append(shade);
            }
            if (row < 7) text.Append('\n');
        }
        return text.ToString();
    }
}
