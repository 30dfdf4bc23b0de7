Console.WriteLine("cosim");
