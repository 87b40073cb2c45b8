import { Module } from '@nestjs/common';
import { ScenarioRunner } from './scenario-runner.js';

@Module({ providers: [ScenarioRunner], exports: [ScenarioRunner] })
export class ScenariosModule {}
