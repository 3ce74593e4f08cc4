using Atc.Compiler.Frontends.TensorFlow.Proto;
using Atc.Options;
using Atc.Options.Errors;
using Google.Protobuf;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>Parses the bytes of a frozen GraphDef; anything that is not one becomes ModelParseFailed.</summary>
internal static class TfGraphDefReader
{
    private const string Framework = "TensorFlow";

    public static GraphDef Read(byte[] model, string path)
    {
        GraphDef graph;
        try
        {
            graph = GraphDef.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new AtcException(AtcErrors.ModelParseFailed(path, Framework,
                "the protobuf is truncated or malformed (" + e.Message.TrimEnd('.') + ")"));
        }

        // Protobuf skips unknown fields, so another format (an ONNX model, random bytes) can parse "successfully"
        // into an empty or nameless graph: that is still the wrong file, not an inconsistent graph.
        if (graph.Node.Count == 0)
            throw new AtcException(AtcErrors.ModelParseFailed(path, Framework, "the file holds no GraphDef nodes"));
        for (int i = 0; i < graph.Node.Count; i++)
            if (graph.Node[i].Name.Length == 0 || graph.Node[i].Op.Length == 0)
                throw new AtcException(AtcErrors.ModelParseFailed(path, Framework,
                    "node #" + i + " has no " + (graph.Node[i].Name.Length == 0 ? "name" : "op type") + ", so the file is not a GraphDef"));
        return graph;
    }
}
