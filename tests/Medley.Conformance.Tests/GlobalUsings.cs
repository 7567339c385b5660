global using Medley.Cooperation.Tests.Support;
global using Medley.Runtime.Tests;
