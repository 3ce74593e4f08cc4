using Atc.Options.Rules;

namespace Atc.Options.Tests;

public class GearExpansionTests
{
    private static ShapeProfile Expand(ModelDeclaration model, AtcCommandOptions options, AtcFramework framework = AtcFramework.TensorFlow)
    {
        var diagnostics = new List<AtcDiagnostic>();
        var shape = ShapeOptionRules.Check(options, framework, diagnostics);
        ShapeOptionRules.CheckAgainstModel(shape, model, diagnostics);
        Assert.Empty(diagnostics);
        return GearExpansion.Expand(shape, model);
    }

    private static string Shapes(ShapeGear g) => string.Join(" ", g.Shapes.Select(s => string.Join(",", s)));

    private static readonly ModelDeclaration TwoInputs = new([new ModelInput("img", [-1, 224, 224, 3]), new ModelInput("meta", [-1, 4])]);

    [Fact]
    public void Static_when_every_shape_is_fixed()
    {
        var p = Expand(TwoInputs, new() { InputShape = "img:2,224,224,3;meta:2,4" });
        Assert.Equal(GearKind.Static, p.Kind);
        Assert.Equal("2,224,224,3 2,4", Shapes(Assert.Single(p.Gears)));
        Assert.Empty(p.Gears[0].Selector);
    }

    [Fact]
    public void Batch_gears_set_N_of_every_input_with_minus_one()
    {
        var p = Expand(TwoInputs, new() { InputShape = "img:-1,224,224,3;meta:-1,4", DynamicBatchSize = "1,8" });
        Assert.Equal(GearKind.Batch, p.Kind);
        Assert.Equal(["1,224,224,3 1,4", "8,224,224,3 8,4"], p.Gears.Select(Shapes).ToArray());
        Assert.Equal([[1], [8]], p.Gears.Select(g => g.Selector).ToArray());
        Assert.Equal([-1L, 224, 224, 3], p.EffectiveShapes[0]);
    }

    [Fact]
    public void Image_gears_follow_the_layout()
    {
        var model = new ModelDeclaration([new ModelInput("x", [1, -1, -1, -1])]);
        var nhwc = Expand(model, new() { InputShape = "x:1,-1,-1,3", DynamicImageSize = "32,64;128,256" });
        Assert.Equal(["1,32,64,3", "1,128,256,3"], nhwc.Gears.Select(Shapes).ToArray());
        Assert.Equal([128, 256], nhwc.Gears[1].Selector);

        var nchw = Expand(model, new() { InputShape = "x:1,3,-1,-1", DynamicImageSize = "32,64;128,256", InputFormat = "NCHW" });
        Assert.Equal(["1,3,32,64", "1,3,128,256"], nchw.Gears.Select(Shapes).ToArray());
    }

    [Fact]
    public void Dims_gears_fill_the_minus_one_axes_in_input_shape_order()
    {
        // --input_shape lists meta before img: the values go to meta's -1 first.
        var p = Expand(TwoInputs, new() { InputShape = "meta:-1,4;img:1,-1,-1,3", DynamicDims = "2,100,200;3,300,400", InputFormat = "ND" });
        Assert.Equal(GearKind.Dims, p.Kind);
        Assert.Equal(["1,100,200,3 2,4", "1,300,400,3 3,4"], p.Gears.Select(Shapes).ToArray());
        Assert.Equal([2, 100, 200], p.Gears[0].Selector);
    }

    [Fact]
    public void Ranges_plan_the_smallest_and_largest_shapes()
    {
        var p = Expand(TwoInputs, new() { InputShape = "img:1~10,224,224,3;meta:1~10,4" });
        Assert.Equal(GearKind.Range, p.Kind);
        Assert.Equal(["1,224,224,3 1,4", "10,224,224,3 10,4"], p.Gears.Select(Shapes).ToArray());
        Assert.Equal([10, 224, 224, 3], p.Bounds[0].Max);
    }

    [Fact]
    public void Minus_one_without_gears_is_an_unbounded_range()
    {
        var p = Expand(new ModelDeclaration([new ModelInput("x", [-1, 3])]), new() { InputShape = "x:-1,3" });
        Assert.Equal(GearKind.Range, p.Kind);
        Assert.Equal("1,3", Shapes(Assert.Single(p.Gears)));
        Assert.Equal([-1, 3], p.Bounds[0].Max);
    }

    [Fact]
    public void Input_shape_range_by_order()
    {
        var p = Expand(TwoInputs, new() { InputShapeRange = "[1~4,224,224,3];[1~4,4]" });
        Assert.Equal(["1,224,224,3 1,4", "4,224,224,3 4,4"], p.Gears.Select(Shapes).ToArray());
    }

    [Fact]
    public void Inputs_not_named_keep_their_declared_shape()
    {
        var model = new ModelDeclaration([new ModelInput("x", [-1, 3]), new ModelInput("k", [7])]);
        var p = Expand(model, new() { InputShape = "x:-1,3", DynamicBatchSize = "2,4" });
        Assert.Equal(["2,3 7", "4,3 7"], p.Gears.Select(Shapes).ToArray());
    }

    [Fact]
    public void Scalars_are_empty_shapes()
    {
        var model = new ModelDeclaration([new ModelInput("step", [])]);
        var p = Expand(model, new());
        Assert.Equal(GearKind.Static, p.Kind);
        Assert.Empty(p.Gears[0].Shapes[0]);
    }
}
