using Atc.Runtime;

namespace Atc.TestModels.Onnx;

/// <summary>
/// Transformer layers over <see cref="OnnxModelBuilder"/>, written the way PyTorch's exporter (opset 13) writes
/// them: Linear on a 3-D input as MatMul + Add, LayerNorm as ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add,
/// GELU through Erf or Tanh, attention as MatMul/Div/Softmax/MatMul with Reshape/Transpose around it. Tokens are
/// [N, S, D] with a symbolic batch.
/// </summary>
internal sealed class TransformerLayers(OnnxModelBuilder b, int sequence, int dim, int heads)
{
    private int HeadDim => dim / heads;

    /// <summary>Linear as MatMul by a constant [in, out] (the transposed weight) then Add of the bias.</summary>
    public string Linear(string x, string name, int inFeatures, int outFeatures)
    {
        string w = b.LinearWeight($"{name}.weight_t", inFeatures, outFeatures);
        string y = b.NamedNode($"{name}.matmul", "MatMul", [x, w]);
        return b.NamedNode($"{name}.add", "Add", [y, b.Normal($"{name}.bias", 0f, 0.02f, outFeatures)]);
    }

    /// <summary>torch.nn.LayerNorm over the last axis, decomposed as the exporter writes it before opset 17.</summary>
    public string LayerNorm(string x, string name, float epsilon = 1e-5f)
    {
        long[] last = [-1];
        string mean = b.NamedNode($"{name}.mean", "ReduceMean", [x], ("axes", last), ("keepdims", 1));
        string d = b.NamedNode($"{name}.sub", "Sub", [x, mean]);
        string sq = b.NamedNode($"{name}.pow", "Pow", [d, b.ScalarFloat($"{name}.two", 2f)]);
        string variance = b.NamedNode($"{name}.var", "ReduceMean", [sq], ("axes", last), ("keepdims", 1));
        string shifted = b.NamedNode($"{name}.add_eps", "Add", [variance, b.ScalarFloat($"{name}.eps", epsilon)]);
        string std = b.NamedNode($"{name}.sqrt", "Sqrt", [shifted]);
        string normed = b.NamedNode($"{name}.div", "Div", [d, std]);
        string scaled = b.NamedNode($"{name}.mul", "Mul", [normed, b.Uniform($"{name}.weight", 0.8f, 1.2f, dim)]);
        return b.NamedNode($"{name}.add", "Add", [scaled, b.Normal($"{name}.bias", 0f, 0.05f, dim)]);
    }

    /// <summary>GELU, exact: x * 0.5 * (1 + erf(x / sqrt 2)) in the exporter's order (Div, Erf, Add, Mul x, Mul 0.5).</summary>
    public string GeluErf(string x, string name)
    {
        string e = b.NamedNode($"{name}.erf", "Erf", [b.NamedNode($"{name}.div", "Div", [x, b.ScalarFloat($"{name}.sqrt2", 1.4142135381698608f)])]);
        string onePlus = b.NamedNode($"{name}.add", "Add", [e, b.ScalarFloat($"{name}.one", 1f)]);
        string times = b.NamedNode($"{name}.mul", "Mul", [x, onePlus]);
        return b.NamedNode($"{name}.half", "Mul", [times, b.ScalarFloat($"{name}.half_c", 0.5f)]);
    }

    /// <summary>GELU, tanh form: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))).</summary>
    public string GeluTanh(string x, string name)
    {
        string cube = b.NamedNode($"{name}.pow", "Pow", [x, b.ScalarFloat($"{name}.three", 3f)]);
        string scaledCube = b.NamedNode($"{name}.mul_c", "Mul", [cube, b.ScalarFloat($"{name}.c", 0.044715f)]);
        string inner = b.NamedNode($"{name}.add_x", "Add", [x, scaledCube]);
        string scaled = b.NamedNode($"{name}.mul_k", "Mul", [inner, b.ScalarFloat($"{name}.k", 0.7978845834732056f)]);
        string t = b.NamedNode($"{name}.tanh", "Tanh", [scaled]);
        string onePlus = b.NamedNode($"{name}.add_1", "Add", [t, b.ScalarFloat($"{name}.one", 1f)]);
        string half = b.NamedNode($"{name}.mul_half", "Mul", [x, b.ScalarFloat($"{name}.half_c", 0.5f)]);
        return b.NamedNode($"{name}.mul", "Mul", [half, onePlus]);
    }

    /// <summary>Multi-head self-attention: Q, K, V projections, [N,S,D] → [N,H,S,hd], scores / sqrt(hd), Softmax,
    /// weighted sum, back to [N,S,D], output projection. <paramref name="causal"/> masks the future as GPT-2's export
    /// does: Where(bool lower-triangular buffer [1,1,S,S], scores, finfo(float32).min) before the Softmax.</summary>
    public string SelfAttention(string x, string name, bool causal = false)
    {
        long[] split = [0, sequence, heads, HeadDim];
        string splitShape = b.Int64s($"{name}.split_shape", split);
        string Heads(string v, string part, long[] perm)
            => b.NamedNode($"{name}.{part}.transpose", "Transpose", [b.NamedNode($"{name}.{part}.reshape", "Reshape", [v, splitShape])], ("perm", perm));

        string q = Heads(Linear(x, $"{name}.q", dim, dim), "q", [0, 2, 1, 3]);
        string k = Heads(Linear(x, $"{name}.k", dim, dim), "k", [0, 2, 3, 1]);
        string v = Heads(Linear(x, $"{name}.v", dim, dim), "v", [0, 2, 1, 3]);
        string scores = b.NamedNode($"{name}.scores", "MatMul", [q, k]);
        string scaled = b.NamedNode($"{name}.scale", "Div", [scores, b.ScalarFloat($"{name}.sqrt_hd", MathF.Sqrt(HeadDim))]);
        if (causal) scaled = CausalMask(scaled, name);
        string weights = b.NamedNode($"{name}.softmax", "Softmax", [scaled], ("axis", -1));
        string context = b.NamedNode($"{name}.context", "MatMul", [weights, v]);
        string merged = b.NamedNode($"{name}.merge.transpose", "Transpose", [context], ("perm", new long[] { 0, 2, 1, 3 }));
        string tokens = b.NamedNode($"{name}.merge.reshape", "Reshape", [merged, b.Int64s($"{name}.merge_shape", 0, sequence, dim)]);
        return Linear(tokens, $"{name}.out", dim, dim);
    }

    /// <summary>A pre-norm block (ViT; GPT with <paramref name="causal"/>): x + Attn(LN(x)), then x + MLP(LN(x)).</summary>
    public string PreNormBlock(string x, string name, int hidden, bool tanhGelu, bool causal = false)
    {
        x = b.NamedNode($"{name}.res1", "Add", [x, SelfAttention(LayerNorm(x, $"{name}.ln1"), $"{name}.attn", causal)]);
        return b.NamedNode($"{name}.res2", "Add", [x, Mlp(LayerNorm(x, $"{name}.ln2"), $"{name}.mlp", hidden, tanhGelu)]);
    }

    /// <summary>A post-norm encoder block (BERT): LN(x + Attn(x)), then LN(x + MLP(x)).</summary>
    public string PostNormBlock(string x, string name, int hidden, bool tanhGelu)
    {
        x = LayerNorm(b.NamedNode($"{name}.res1", "Add", [x, SelfAttention(x, $"{name}.attn")]), $"{name}.ln1");
        return LayerNorm(b.NamedNode($"{name}.res2", "Add", [x, Mlp(x, $"{name}.mlp", hidden, tanhGelu)]), $"{name}.ln2");
    }

    private string Mlp(string x, string name, int hidden, bool tanhGelu)
    {
        string h = Linear(x, $"{name}.fc1", dim, hidden);
        h = tanhGelu ? GeluTanh(h, $"{name}.gelu") : GeluErf(h, $"{name}.gelu");
        return Linear(h, $"{name}.fc2", hidden, dim);
    }

    /// <summary>The token-id input [N, S]: int64 ids, or (<paramref name="floatIds"/>, for harnesses that feed only
    /// floats) float32 in [-1, 1) mapped onto [1, vocabulary - 1] by Mul, Add and Cast.</summary>
    public string TokenIds(string inputName, int vocabulary, bool floatIds)
    {
        if (!floatIds) return b.Input(inputName, DataType.Int64, "N", sequence);
        string input = b.Input(inputName, DataType.Float32, "N", sequence);
        string spread = b.NamedNode("ids.scale", "Mul", [input, b.ScalarFloat("ids.half_vocab", vocabulary / 2 - 1)]);
        spread = b.NamedNode("ids.shift", "Add", [spread, b.ScalarFloat("ids.offset", vocabulary / 2)]);
        return b.NamedNode("ids.cast", "Cast", [spread], ("to", (int)DataType.Int64));
    }

    /// <summary>Word embedding (Gather on axis 0 of [vocabulary, D]) plus a learned position embedding [1, S, D].</summary>
    public string Embeddings(string ids, string name, int vocabulary)
    {
        string x = b.NamedNode($"{name}.word", "Gather", [b.Normal($"{name}.word.weight", 0f, 1f, vocabulary, dim), ids], ("axis", 0));
        return b.NamedNode($"{name}.position", "Add", [x, b.Normal($"{name}.position.weight", 0f, 0.5f, 1, sequence, dim)]);
    }

    private string CausalMask(string scores, string name)
    {
        var allowed = new byte[sequence * sequence];
        for (int row = 0; row < sequence; row++)
            for (int column = 0; column <= row; column++) allowed[row * sequence + column] = 1;
        string mask = b.Initializer($"{name}.causal_mask", new TensorData(DataType.Bool, [1, 1, sequence, sequence], allowed));
        return b.NamedNode($"{name}.causal_where", "Where", [mask, scores, b.ScalarFloat($"{name}.mask_value", float.MinValue)]);
    }
}
