package io.krunbox.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The design of docs/ARCHITECTURE.md, checked on the compiled main classes of every module:
 * the module order, no package cycle, and the few packages allowed to touch JNA or Groovy.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        ImportOption mainOnly = location -> !location.contains("/test-classes/") && !location.contains("-tests.jar");
        classes = new ClassFileImporter().withImportOption(mainOnly).importPackages("io.krunbox");
    }

    @Test
    void theMainClassesOfEveryModuleAreImported() {
        Set<String> modules = new TreeSet<>();
        for (JavaClass c : classes) {
            String p = c.getPackageName();
            modules.add(p.split("\\.").length > 2 ? p.split("\\.")[2] : p);
        }
        assertThat(modules).containsExactly("build", "compose", "dsl", "kube", "oci", "runtime", "shell", "statedb");
    }

    @Test
    void modulesDependOnlyDownTheOrderStatedbOciRuntimeBuildComposeDslKubeShell() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("statedb").definedBy("io.krunbox.statedb..")
                .layer("oci").definedBy("io.krunbox.oci..")
                .layer("runtime").definedBy("io.krunbox.runtime..")
                .layer("build").definedBy("io.krunbox.build..")
                .layer("compose").definedBy("io.krunbox.compose..")
                .layer("dsl").definedBy("io.krunbox.dsl..")
                .layer("kube").definedBy("io.krunbox.kube..")
                .layer("shell").definedBy("io.krunbox.shell..")
                .whereLayer("shell").mayNotBeAccessedByAnyLayer()
                .whereLayer("dsl").mayOnlyBeAccessedByLayers("shell")
                .whereLayer("kube").mayOnlyBeAccessedByLayers("shell")
                .whereLayer("build").mayOnlyBeAccessedByLayers("shell")
                .whereLayer("compose").mayOnlyBeAccessedByLayers("dsl", "shell")
                .whereLayer("runtime").mayOnlyBeAccessedByLayers("build", "compose", "dsl", "kube", "shell")
                .whereLayer("oci").mayOnlyBeAccessedByLayers("runtime", "build", "compose", "dsl", "kube", "shell")
                .check(classes);
    }

    @Test
    void noPackageIsPartOfACycle() {
        slices().matching("io.krunbox.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theRuntimeBasicsUseNoOtherRuntimePackage() {
        noClasses().that().resideInAPackage("io.krunbox.runtime.base")
                .should().dependOnClassesThat().resideInAnyPackage("io.krunbox.runtime", "io.krunbox.runtime.(*)..")
                .andShould().dependOnClassesThat().resideOutsideOfPackages("io.krunbox.runtime.base", "java..")
                .check(classes);
    }

    @Test
    void theModelIsPlainRecordsWithNoDependencyOnTheRestOfTheRuntime() {
        noClasses().that().resideInAPackage("io.krunbox.runtime.model")
                .should().dependOnClassesThat().resideInAnyPackage("io.krunbox.runtime.(*)..", "io.krunbox.runtime")
                .andShould().dependOnClassesThat().resideOutsideOfPackages(
                        "io.krunbox.runtime.model", "io.krunbox.runtime.base", "io.krunbox.oci..", "java..")
                .check(classes);
    }

    @Test
    void onlyTheTwoNativePackagesTouchJna() {
        noClasses().that().resideOutsideOfPackages("io.krunbox.runtime.isolation.vm", "io.krunbox.runtime.linux")
                .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
                .check(classes);
    }

    @Test
    void onlyTheDslAndTheShellUseGroovy() {
        noClasses().that().resideOutsideOfPackages("io.krunbox.dsl..", "io.krunbox.shell..")
                .should().dependOnClassesThat().resideInAnyPackage("groovy..", "org.codehaus.groovy..", "org.apache.groovy..")
                .check(classes);
    }

    @Test
    void onlyTheKubePackagesUseTheKubernetesModel() {
        noClasses().that().resideOutsideOfPackages("io.krunbox.kube..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..")
                .check(classes);
    }

    @Test
    void aboveTheRuntimeEveryoneComesInThroughTheOneDoor() {
        // the shell, the DSL, builds and kube open a home with Krunbox.open, never piece by piece
        Set<String> pieces = Set.of("io.krunbox.runtime.Boxes", "io.krunbox.runtime.state.BoxStore",
                "io.krunbox.runtime.BoxRunner", "io.krunbox.runtime.TopologyRunner");
        Set<String> wiredByHand = new TreeSet<>();
        for (JavaClass c : classes) {
            if (c.getPackageName().startsWith("io.krunbox.runtime")) {
                continue;
            }
            c.getConstructorCallsFromSelf().stream().filter(call -> pieces.contains(call.getTargetOwner().getName()))
                    .forEach(call -> wiredByHand.add(call.getDescription()));
            c.getMethodCallsFromSelf().stream().filter(call -> call.getTargetOwner().getName()
                    .equals("io.krunbox.runtime.image.Images") && call.getName().equals("open"))
                    .forEach(call -> wiredByHand.add(call.getDescription()));
        }
        assertThat(wiredByHand).isEmpty();
    }

    @Test
    void onlyTheEntryPointAndTheReplParseCommandLines() {
        // compose's service commands do what the box commands do through the same code, not by rebuilt argv
        noClasses().that().doNotHaveFullyQualifiedName("io.krunbox.shell.Main")
                .and().doNotHaveFullyQualifiedName("io.krunbox.shell.Repl")
                .should().callMethod(picocli.CommandLine.class, "execute", String[].class)
                .check(classes);
    }

    @Test
    void everyPackageSaysWhatItHoldsInAPackageInfo() {
        Set<String> packages = new TreeSet<>();
        Set<String> described = new TreeSet<>();
        for (JavaClass c : classes) {
            packages.add(c.getPackageName());
            if (c.getSimpleName().equals("package-info")) {
                described.add(c.getPackageName());
            }
        }
        assertThat(described).containsExactlyElementsOf(packages);
    }
}
