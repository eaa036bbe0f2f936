/**
 * Launcher of the Camel JBang CLI (camel-jbang-core from Maven Central), whose CamelJBangMain has no main().
 * Run as a single-file source program: {@code java -cp 'jbang/lib/*:...' jbang/CamelCli.java run ...};
 * jbang/camel-run.sh does that with the project's classes on the classpath.
 */
public class CamelCli {
    public static void main(String... args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
