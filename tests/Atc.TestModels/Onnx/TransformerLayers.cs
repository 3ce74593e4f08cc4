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
    /// weighted sum, back to [N,S,D], output projection.</summary>
    public string SelfAttention(string x, string name)
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
        string weights = b.NamedNode($"{name}.softmax", "Softmax", [scaled], ("axis", -1));
        string context = b.NamedNode($"{name}.context", "MatMul", [weights, v]);
        string merged = b.NamedNode($"{name}.merge.transpose", "Transpose", [context], ("perm", new long[] { 0, 2, 1, 3 }));
        string tokens = b.NamedNode($"{name}.merge.reshape", "Reshape", [merged, b.Int64s($"{name}.merge_shape", 0, sequence, dim)]);
        return Linear(tokens, $"{name}.out", dim, dim);
    }

    /// <summary>A pre-norm encoder block (ViT): x + Attn(LN(x)), then x + MLP(LN(x)).</summary>
    public string PreNormBlock(string x, string name, int hidden, bool tanhGelu)
    {
        x = b.NamedNode($"{name}.res1", "Add", [x, SelfAttention(LayerNorm(x, $"{name}.ln1"), $"{name}.attn")]);
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
}
