using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>TensorFlow's "padding" attribute as canonical auto_pad/pads: SAME pads extra at the end (SAME_UPPER).</summary>
internal static class TfPadding
{
    public static void Apply(TfNode node, TfDataFormat format, OpAttributes attributes)
    {
        string padding = node.GetString("padding", "");
        switch (padding)
        {
            case "SAME": attributes.Set("auto_pad", "SAME_UPPER"); break;
            case "VALID": attributes.Set("auto_pad", "VALID"); break;
            case "EXPLICIT":
                // explicit_paddings: a (before, after) pair per axis in data_format order.
                var p = node.GetInts("explicit_paddings", []);
                if (p.Length != 8)
                    throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] has padding EXPLICIT with "
                        + p.Length + " explicit_paddings, expected 8"));
                int h = format.HeightAxis, w = format.WidthAxis;
                attributes.Set("auto_pad", "NOTSET");
                attributes.Set("pads", new[] { p[2 * h], p[2 * w], p[2 * h + 1], p[2 * w + 1] });
                break;
            default:
                throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op + ") has padding ["
                    + padding + "], expected SAME, VALID or EXPLICIT"));
        }
    }
}
