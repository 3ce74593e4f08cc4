using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Atc.Options.Errors;

namespace Atc.Options.Parsing
{
    /// <summary>Shapes and option values written the way ATC's command line writes them.</summary>
    public static class ShapeText
    {
        public static string Format(IEnumerable<DimSpec> dims) => string.Join(",", dims.Select(d => d.ToString()));

        public static string Format(IEnumerable<long> dims) => string.Join(",", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));

        public static string Format(IEnumerable<int> dims) => string.Join(",", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)));

        /// <summary>A declared model shape for messages: "[-1,224,224,3]", or "[?]" when even the rank is unknown.</summary>
        public static string Declared(long[]? dims) => dims is null ? "[?]" : "[" + Format(dims) + "]";

        /// <summary>--name="value", ready to paste into a shell.</summary>
        public static string Option(string name, string value) => "--" + name + "=\"" + value + "\"";

        /// <summary>"name:dims;name2:dims" for --input_shape.</summary>
        public static string InputShapeValue(IEnumerable<KeyValuePair<string, string>> nameAndDims)
            => string.Join(";", nameAndDims.Select(p => p.Key + ":" + p.Value));

        /// <summary>Gears written back: "1,2,4,8" for batch, "h,w;h,w" for image sizes and dims.</summary>
        public static string Gears(IEnumerable<long[]> gears, bool oneValuePerGear)
            => oneValuePerGear
                ? string.Join(",", gears.Select(g => Format(g)))
                : string.Join(";", gears.Select(g => Format(g)));
    }
}
