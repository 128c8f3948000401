package io.github.ncpsnapshotbridge.config;

import io.github.ncpsnapshotbridge.settings.KafkaSettings;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;

import org.apache.camel.component.kafka.KafkaComponent;

/** Camel picks up the bean named {@code kafka} as its Kafka component, configured once for every route. */
@ApplicationScoped
public class KafkaComponentProducer {

    @Produces
    @Named("kafka")
    @ApplicationScoped
    KafkaComponent kafka(KafkaSettings settings) {
        KafkaComponent component = new KafkaComponent();
        if (settings.enabled()) {
            component.setConfiguration(settings.componentConfiguration());
        }
        return component;
    }
}
