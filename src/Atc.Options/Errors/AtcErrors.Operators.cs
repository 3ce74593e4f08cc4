using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>Factories for the operator-attribute diagnostics (ATC4400-ATC4499).</summary>
    public static partial class AtcErrors
    {
        /// <summary>ATC4400: an attribute value outside the set its op defines, with that set.</summary>
        public static AtcDiagnostic AttributeValueUnsupported(string node, string opType, string attribute, string value, IEnumerable<string> allowed)
            => AtcOperatorErrorCatalog.ATC4400.Create(AtcOptionNames.Model, null, node, opType, attribute, value, "[" + string.Join(", ", allowed) + "]");
    }
}
