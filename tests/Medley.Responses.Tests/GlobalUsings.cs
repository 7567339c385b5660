global using Medley.Runtime.Tests;
global using Xunit;
