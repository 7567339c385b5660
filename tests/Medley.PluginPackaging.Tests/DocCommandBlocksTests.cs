namespace Medley.PluginPackaging.Tests;

public sealed class DocCommandBlocksTests
{
    [Fact]
    public void Only_marked_bash_blocks_are_read_with_what_they_need()
    {
        const string page = """
            # Title

            <!-- ci:run -->
            ```bash
            dotnet new install Medley.Templates
            cd somewhere
            ```

            ```bash
            echo unmarked
            ```

            <!-- ci:run needs=medley -->
            ```bash
            medley plugin list
            ```

            <!-- ci:run -->
            ```json
            {"not": "bash"}
            ```
            """;

        var blocks = DocCommandBlocks.Read(page);

        Assert.Equal(
            [new DocCommandBlock(null, "dotnet new install Medley.Templates\ncd somewhere"), new DocCommandBlock("medley", "medley plugin list")],
            blocks);
    }
}
