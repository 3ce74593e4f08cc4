using System.Collections.Generic;

namespace Atc.Options.Errors
{
    /// <summary>
    /// This project's own codes for operator attributes the importers check (ATC4400-ATC4499): ATC reports a bad
    /// attribute only in its log, without a public code. Each names the node, the attribute, its value and a way out.
    /// Part of <see cref="AtcErrorCatalog.All"/>.
    /// </summary>
    public static class AtcOperatorErrorCatalog
    {
        public static readonly AtcErrorDescriptor ATC4400 = new AtcErrorDescriptor("ATC4400", "Unsupported_Attribute_Value",
            "Attribute [{2}] of node [{0}] (op [{1}]) is [{3}]; the op accepts {4}.",
            "The value is outside the set the op defines for this attribute.",
            "Re-export the model with {2} set to one of {4}.",
            AtcErrorOrigin.Project);

        /// <summary>Every descriptor, in code order.</summary>
        public static IReadOnlyList<AtcErrorDescriptor> All { get; } = new[] { ATC4400 };
    }
}
