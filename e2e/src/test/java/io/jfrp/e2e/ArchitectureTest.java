package io.jfrp.e2e;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layers point one way: protocol, then core, then server and client (apart), then the command line. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jfrp");
    }

    @Test
    void clientAndServerNeverImportEachOther() {
        noClasses().that().resideInAPackage("io.jfrp.client..").should().dependOnClassesThat()
                .resideInAPackage("io.jfrp.server..").check(classes);
        noClasses().that().resideInAPackage("io.jfrp.server..").should().dependOnClassesThat()
                .resideInAPackage("io.jfrp.client..").check(classes);
    }

    @Test
    void nothingImportsTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("io.jfrp.app..").should().dependOnClassesThat()
                .resideInAPackage("io.jfrp.app..").check(classes);
    }

    @Test
    void theProtocolKnowsNothingAbove() {
        noClasses().that().resideInAPackage("io.jfrp.protocol..").should().dependOnClassesThat()
                .resideInAnyPackage("io.jfrp.core..", "io.jfrp.server..", "io.jfrp.client..").check(classes);
        noClasses().that().resideInAPackage("io.jfrp.core..").should().dependOnClassesThat()
                .resideInAnyPackage("io.jfrp.server..", "io.jfrp.client..").check(classes);
    }

    /** jetcd lives in jfrp-etcd.jar, loaded apart (core's EtcdLibrary): nothing else may name it or the module. */
    @Test
    void onlyTheEtcdModuleKnowsJetcd() {
        noClasses().that().resideOutsideOfPackage("io.jfrp.etcd..").should().dependOnClassesThat()
                .resideInAnyPackage("io.etcd..", "io.jfrp.etcd..").check(classes);
    }
}
