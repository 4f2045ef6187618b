import io.krunbox.dsl.BoxesApi;

/** In-JVM exec round trips into a running box: prints the mean in microseconds. Used by bench/lifecycle.sh. */
public class InJvmExec {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        try (BoxesApi boxes = new BoxesApi()) {
            var box = boxes.get(args[0]);
            for (int i = 0; i < 20; i++) {
                box.exec("true");
            }
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (box.exec("true").exitCode() != 0) {
                    throw new IllegalStateException("exec failed");
                }
            }
            System.out.println((System.nanoTime() - start) / n / 1000);
        }
    }
}
