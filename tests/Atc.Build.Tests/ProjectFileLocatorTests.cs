extern alias analyzers;
using analyzers::Atc.Options.ItemRules;

namespace Atc.Build.Tests;

public class ProjectFileLocatorTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <ItemGroup>
            <AscendModel Include="Models/other.pb" InputShape="x:1,4" />
            <AscendModel Include="Models/tiny.pb"
                         InputShape="Placeholder:-1,224,224,3" DynamicBatchSize="2" />
            <AscendModel Include="Models/child.onnx">
              <DynamicBatchSize>1</DynamicBatchSize>
            </AscendModel>
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public void FindsTheAttributeOfTheRightItem()
    {
        var at = ProjectFileLocator.Find(Project, "Models/tiny.pb", "DynamicBatchSize")!;
        Assert.Equal((5, 56), (at.Line, at.Column));
        Assert.Equal("DynamicBatchSize=\"2\"", Project.Replace("\r\n", "\n").Substring(at.Start, at.Length));
        Assert.Equal((5, 76), (at.EndLine, at.EndColumn));
    }

    [Fact]
    public void MatchesBackslashesAndDotSlash() =>
        Assert.Equal(5, ProjectFileLocator.Find(Project, @".\Models\tiny.pb", "InputShape")!.Line);

    [Fact]
    public void FindsMetadataWrittenAsAChildElement()
    {
        var at = ProjectFileLocator.Find(Project, "Models/child.onnx", "DynamicBatchSize")!;
        Assert.Equal((7, 7), (at.Line, at.Column));
    }

    [Fact]
    public void FallsBackToTheIncludeWhenTheAttributeIsAbsent()
    {
        var at = ProjectFileLocator.Find(Project, "Models/other.pb", "DynamicBatchSize")!;
        Assert.Equal((3, 18), (at.Line, at.Column));
    }

    [Fact]
    public void ReturnsNullOnTextBeingEdited() =>
        Assert.Null(ProjectFileLocator.Find("<Project><AscendModel Include=\"a.pb\" ", "a.pb", null));
}
